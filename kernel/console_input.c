/* The console input ring (see kernel/console_input.h): one producer (the COM1
 * interrupt), any number of readers, one lock that also guards the readers'
 * wait queue. */
#include <kernel/clock.h>
#include <kernel/console_input.h>
#include <kernel/process.h>
#include <kernel/thread.h>

static kobj_t console = { NC_SYS_HANDLE_CONSOLE, 1, NULL };
static spinlock_t lock = SPINLOCK_INIT;
static uint8_t ring[CONSOLE_INPUT_BYTES];
static uint32_t head, count;          /* oldest byte at ring[head]; guarded by lock */
static uint64_t dropped;
static waitq_t readers;

kobj_t *console_object(void) { return &console; }

uint64_t console_input_dropped(void) { return dropped; }

void console_input_push(uint8_t byte)
{
	uint64_t f = spin_lock(&lock);
	if (count < CONSOLE_INPUT_BYTES) {
		ring[(head + count) % CONSOLE_INPUT_BYTES] = byte;
		count++;
	} else {
		dropped++;
	}
	waitq_wake_all(&readers);
	spin_unlock(&lock, f);
}

nc_sys_err_t console_input_read(uint8_t *buf, size_t len_bytes, uint64_t deadline_ns, size_t *n_out)
{
	thread_t *self = thread_current();
	uint64_t f = spin_lock(&lock);
	while (count == 0) {
		if (thread_dying(self)) {
			spin_unlock(&lock, f);
			return NC_SYS_ERR_INVALID;
		}
		if (clock_now_ns() >= deadline_ns) {
			spin_unlock(&lock, f);
			return NC_SYS_ERR_TIMED_OUT;
		}
		waitq_add(&readers, self);
		clock_block_until(&lock, f, deadline_ns);
		f = spin_lock(&lock);
		waitq_remove(&readers, self);
	}
	size_t n = 0;
	for (; n < len_bytes && count; n++, count--) {
		buf[n] = ring[head];
		head = (head + 1) % CONSOLE_INPUT_BYTES;
	}
	spin_unlock(&lock, f);
	*n_out = n;
	return NC_SYS_OK;
}

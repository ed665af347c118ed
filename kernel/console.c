/* Console fan-out: serial always, framebuffer when attached. A write goes
 * out in chunks of CONSOLE_CHUNK bytes, each under `lock` with interrupts
 * off (serial bytes, cells, one paint); between chunks interrupts are back
 * on. Writes stay whole because a writer with interrupts on first takes the
 * write order (`order`, a spinning owner word taken with interrupts on: the
 * kernel is not preemptible, so its owner never sleeps holding it). A write
 * made with interrupts off, or by the order's owner itself (an interrupt
 * handler printing in the middle of a write), does not wait for the order.
 * A panic bypasses both. It also takes the framebuffer back from a user
 * process holding the display, so its report is seen on the screen too. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <nc/fmt.h>
#include <stdarg.h>
#include <stdbool.h>

static bool fb_attached;
static bool fb_hidden; /* a user process holds the display (under lock) */

void console_init(void)
{
	arch_serial_init();
}

void console_attach_framebuffer(const nc_boot_framebuffer_t *fb, uint64_t hhdm_base)
{
	fb_attached = fbcon_init(fb, hhdm_base) == 0;
}

static spinlock_t lock = SPINLOCK_INIT;
static thread_t *volatile order; /* the thread whose write goes out now, or NULL */

/* One chunk: interrupts off only for this long. */
static void write_chunk(const char *s, size_t len)
{
	uint64_t f = spin_lock(&lock);
	arch_serial_write(s, len);
	if (fb_attached) {
		fbcon_write(s, len);
		fbcon_paint();
	}
	spin_unlock(&lock, f);
}

/* Take the write order, spinning with interrupts on; false when the caller
 * must not wait for it (interrupts off, no thread yet, or already its own). */
static bool take_order(void)
{
	if (!irq_enabled()) /* early boot (no per-CPU data yet) included */
		return false;
	thread_t *self = thread_current();
	if (!self || order == self)
		return false;
	thread_t *none = NULL;
	while (!__atomic_compare_exchange_n(&order, &none, self, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		none = NULL;
		cpu_pause();
	}
	return true;
}

void console_write(const char *s, size_t len)
{
	if (kernel_panicking) {
		arch_serial_write(s, len);
		if (fb_attached && fb_hidden) {
			fb_hidden = false;
			fbcon_show(true);
		}
		if (fb_attached) {
			fbcon_write(s, len);
			fbcon_paint();
		}
		return;
	}
	bool ordered = take_order();
	for (size_t done = 0; done < len; done += CONSOLE_CHUNK)
		write_chunk(s + done, len - done < CONSOLE_CHUNK ? len - done : CONSOLE_CHUNK);
	if (ordered)
		__atomic_store_n(&order, NULL, __ATOMIC_RELEASE);
}

void console_show_framebuffer(bool visible)
{
	if (!fb_attached)
		return;
	uint64_t f = spin_lock(&lock);
	fb_hidden = !visible;
	fbcon_show(visible);
	spin_unlock(&lock, f);
}

void kprintf(const char *fmt, ...)
{
	char buf[KPRINTF_MAX];
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vformat(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write(buf, n < sizeof buf ? n : sizeof buf - 1);
}

/* The NexaCore user runtime (user/lib): program entry, console output,
 * memory allocation and threads on top of the generated system-call stubs
 * (<nc/syscalls.h>). Strings and formatting come from lib/base (nc/mem.h,
 * nc/fmt.h). Every function here is thread-safe unless it says otherwise. */
#ifndef NC_ULIB_H
#define NC_ULIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/syscalls.h>

/* Supplied by the program: called by crt0 with the argument string that
 * ProcessSpawn passed (NUL-terminated, arg_len bytes); its return value is the
 * process's exit code. */
int main(const char *arg, size_t arg_len);

/* printf subset of nc/fmt.h to the console; one line of up to NC_PRINT_MAX
 * bytes is written whole. */
enum { NC_PRINT_MAX = 1024 };
void nc_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Standard input: the bytes typed while the program runs in the shell's
 * foreground (the shell passes every program it runs a channel endpoint with
 * RIGHT_READ, the first such handle the program holds, and echoes nothing:
 * echo is the program's choice). Reads up to len bytes into buf, waiting up
 * to timeout_ns (0: poll, NC_SYS_TIMEOUT_INFINITE) for the first; *n_out gets
 * the count, 0 at the end of input (Ctrl-D at the shell, or a program started
 * without standard input). Errors: TIMED_OUT (nothing typed in time), those
 * of IpcReceive. Bytes are consumed as they are returned. */
nc_sys_err_t nc_stdin_read(void *buf, size_t len, uint64_t timeout_ns, size_t *n_out);

/* Services (docs/services.md): a request as ServiceReceive delivers it, the
 * header then the payload, and the handles that came with it. */
typedef struct {
	nc_sys_service_request_t hdr;
	uint8_t payload[NC_SYS_SERVICE_MSG_MAX_BYTES - sizeof(nc_sys_service_request_t)];
	uint64_t handles[1];
	uint32_t n_handles;
} nc_service_msg_t;

/* Take the next request of port into *m, waiting up to timeout_ns. Errors:
 * those of ServiceReceive. Thread-safe (one m per thread). */
nc_sys_err_t nc_service_receive(uint64_t port, nc_service_msg_t *m, uint64_t timeout_ns);
/* Answer request id with status, result and data[0..len). Errors: those of
 * ServiceReply (CANCELLED: the caller is gone; nothing to do). */
nc_sys_err_t nc_service_answer(uint64_t port, uint64_t id, nc_sys_err_t status, uint64_t result,
			       const void *data, size_t len);
/* Answer request id by opening object (its id, NC_SYS_HANDLE_* type, rights). */
nc_sys_err_t nc_service_answer_object(uint64_t port, uint64_t id, uint64_t object, uint64_t type,
				      uint64_t rights);

/* Heap: blocks from power-of-two size classes carved out of MemMap arenas;
 * larger blocks get their own mapping. NULL when memory runs out or len is 0.
 * Blocks are 16-byte aligned and zeroed. */
void *nc_malloc(size_t len_bytes);
void nc_free(void *p);

/* Allocator with the lua_Alloc contract that lib/ncs and lib/ai take:
 * new_bytes 0 frees p and returns NULL; otherwise a block of new_bytes holding
 * the first min(old, new) bytes of p (p is freed), or NULL with p untouched.
 * ud is unused. */
void *nc_heap_realloc(void *ud, void *p, size_t old_bytes, size_t new_bytes);
/* Monotonic clock in microseconds (ClockGet), as such libraries take it; ud unused. */
uint64_t nc_clock_micros(void *ud);

/* Threads: each gets a MemMap'd stack (an unmapped page lies below every
 * mapping). fn's return value is the thread's exit code. */
typedef struct {
	uint64_t tid;
	uint64_t stack;          /* base of the stack mapping */
	uint64_t stack_bytes;
} nc_thread_t;

enum { NC_THREAD_STACK_BYTES = 64 * 1024 };

nc_sys_err_t nc_thread_start(nc_thread_t *t, int (*fn)(void *), void *arg);
/* Wait for t to end, free its stack, return its exit code in *code. */
nc_sys_err_t nc_thread_join(nc_thread_t *t, uint64_t *code);

/* A test-and-set lock for user threads (spins, yielding the CPU). */
typedef struct {
	volatile uint32_t locked;
} nc_lock_t;
void nc_lock_acquire(nc_lock_t *l);
void nc_lock_release(nc_lock_t *l);

#endif

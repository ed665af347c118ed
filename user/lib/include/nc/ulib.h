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

/* Standard output: handle NC_STDOUT_HANDLE (1, the first handle the parent
 * passed at ProcessSpawn) when it is a channel endpoint or a file the program
 * may write but not read -- a shell gives its programs a write-only copy of a
 * terminal window's channel, or of the file of `> FILE` / `>> FILE`
 * (docs/shell.md) -- else the console (WriteConsole, which needs a
 * console.write capability). Looked up at the first use.
 * nc_stdout_write writes buf[0..len) there, all of it, in writes of at most
 * IPC_MSG_MAX_BYTES (channel) or IO_MAX_BYTES (file, console). Errors: those
 * of IpcSend, FdWrite or WriteConsole (PEER_CLOSED: the window is gone),
 * NO_SPACE (a file write took nothing); what was written before stays. */
enum { NC_STDOUT_HANDLE = 1 };
nc_sys_err_t nc_stdout_write(const void *buf, size_t len);
/* Write buf[0..len) whole to handle of type (NC_SYS_HANDLE_*): a channel
 * endpoint (IpcSend, waiting while its queue is full), a file or the console
 * handle (FdWrite), or handle 0 with type NC_SYS_HANDLE_CONSOLE: the console
 * through WriteConsole. Errors as nc_stdout_write's. */
nc_sys_err_t nc_write_all(uint64_t handle, uint64_t type, const void *buf, size_t len);
/* printf subset of nc/fmt.h to standard output (nc_stdout_write). One call
 * of up to NC_PRINT_MAX - 1 bytes (more is cut) is written whole; an error
 * loses that output. */
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
/* Tell whoever started the service that it takes calls now: a byte on the
 * first write-only channel endpoint the process holds (init passes one to
 * each service it starts), which is then closed. Nothing when there is none. */
void nc_service_ready(void);
/* Answer request id by opening object (its id, NC_SYS_HANDLE_* type, rights). */
nc_sys_err_t nc_service_answer_object(uint64_t port, uint64_t id, uint64_t object, uint64_t type,
				      uint64_t rights);

/* The first handle of type (NC_SYS_HANDLE_*) with every right of rights_all
 * and none of rights_none, or 0 (user/lib/handles.c). */
uint64_t nc_handle_find(uint64_t type, uint32_t rights_all, uint32_t rights_none);

/* The whole initrd file at path ("/fonts/x.ttf") in a new nc_malloc block
 * (*data, never NULL on success; nc_free it) of *len bytes (user/lib/file.c).
 * Errors: those of FsStat and InitrdRead, NO_MEMORY, INVALID (the file
 * ended early). */
nc_sys_err_t nc_file_read_all(const char *path, uint8_t **data, uint64_t *len);

/* Capabilities the program holds (user/lib/caps.c; a program calling these
 * links lib/cap and lib/scope). nc_cap_find: the first capability handle whose
 * action covers action and whose scope covers scope (0: none).
 * nc_cap_derive: a new capability for exactly action on scope, attenuated
 * from such a handle, with RIGHT_TRANSFER and RIGHT_DUPLICATE (to give a
 * child). Errors: DENIED (no capability covers it), those of CapAttenuate. */
uint64_t nc_cap_find(const char *action, const char *scope);
nc_sys_err_t nc_cap_derive(const char *action, const char *scope, uint64_t *out);

/* Read the whole file at path[0..path_len) into buf[0..cap) (nc_fd_read_some
 * pieces); *len gets the bytes read. Errors: those of FsOpen and FdRead; LIMIT (the file holds more
 * than cap bytes: buf holds the first cap). */
nc_sys_err_t nc_file_read(const char *path, size_t path_len, void *buf, size_t cap, size_t *len);

/* Whole-file transfers in IO_BULK_MAX_BYTES pieces (user/lib/fd_bulk.c), for any
 * handle FdRead/FdWrite take: FdReadBulk/FdWriteBulk serve a file-system
 * service's file in one routed request per piece, an initrd file directly, the
 * console in IO_MAX_BYTES pieces. A bulk call refused for its window (LIMIT:
 * the caller's quota, NO_MEMORY) is made again as FdRead/FdWrite of at most
 * IO_MAX_BYTES, which needs no window.
 * nc_fd_read_some: one read of up to cap bytes at the position (*got 0: end of
 * file; cap 0 reads nothing). Errors: those of FdRead.
 * nc_fd_write_whole: all of buf[0..len). Errors: those of FdWrite, NO_SPACE (a
 * write took nothing); what was written before stays.
 * nc_fd_each_piece: read h to its end, handing each piece to fn (in a 1 MiB
 * block of the heap; 4 KiB on the stack when the heap has none); stops at
 * fn's first error and returns it, else the read's error. */
nc_sys_err_t nc_fd_read_some(uint64_t h, void *buf, size_t cap, uint64_t *got);
nc_sys_err_t nc_fd_write_whole(uint64_t h, const void *buf, size_t len);
nc_sys_err_t nc_fd_each_piece(uint64_t h, nc_sys_err_t (*fn)(void *ctx, const uint8_t *p, size_t n), void *ctx);

/* Heap (user/lib/malloc.c): blocks from power-of-two size classes carved out
 * of MemMap arenas, given out again once freed; larger blocks get their own
 * mapping, whose frames go back to the kernel on nc_free and whose addresses
 * later large blocks reuse. NULL when memory runs out, len is 0 or no mapping
 * can hold len. Blocks are 16-byte aligned and zeroed. Thread-safe. */
void *nc_malloc(size_t len_bytes);
void nc_free(void *p);

/* Allocator with the lua_Alloc contract that lib/ncs and lib/ai take:
 * new_bytes 0 frees p and returns NULL; otherwise a block of new_bytes holding
 * the first min(old, new) bytes of p (p is freed), or NULL with p untouched.
 * ud is unused. */
void *nc_heap_realloc(void *ud, void *p, size_t old_bytes, size_t new_bytes);
/* Monotonic clock in nanoseconds (ClockGet; 0 if it failed). */
uint64_t nc_clock_ns(void);
/* The same in microseconds, as such libraries take it; ud unused. */
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

/* Inbox: waiting on several channels at once (HandleWaitAny over the
 * watched channels and the inbox's own channel, which carries the program's
 * posts). nc_inbox_receive gives the next message of any of them, tagged;
 * a busy channel cannot keep the others waiting (the wait starts after the
 * channel served last). A channel whose peer closes (or whose handle the
 * program closed without unwatching it) is reported once (closed = true) and
 * is no longer watched. Messages longer than NC_INBOX_MSG_MAX_BYTES from a
 * watched channel are dropped (their handles closed). nc_inbox_watch,
 * nc_inbox_unwatch and nc_inbox_receive may be called from any thread; once
 * nc_inbox_unwatch returns, nothing more is taken from the channel. A
 * watched channel's handle stays the program's (it may send on it, never
 * receive): it closes it after the closed message or after nc_inbox_unwatch. */
enum { NC_INBOX_WATCH_MAX = 24, NC_INBOX_HANDLES_MAX = 2,
       NC_INBOX_MSG_MAX_BYTES = NC_SYS_IPC_MSG_MAX_BYTES - 8 };

typedef struct {
	uint64_t channel;
	uint32_t tag;
	bool used;
} nc_inbox_watch_t;

typedef struct {
	uint64_t rx, tx;                     /* the inbox channel: read end, write end */
	nc_lock_t lock;
	nc_inbox_watch_t watches[NC_INBOX_WATCH_MAX]; /* lock */
	int next;                            /* lock: the slot the next wait starts at */
} nc_inbox_t;

typedef struct {
	uint32_t tag;                        /* the tag given to nc_inbox_watch */
	bool closed;                         /* the channel's peer closed; no data */
	uint32_t len;
	uint8_t data[NC_INBOX_MSG_MAX_BYTES];
	uint32_t n_handles;
	uint64_t handles[NC_INBOX_HANDLES_MAX];
} nc_inbox_msg_t;

/* Errors: those of IpcCreateChannel. */
nc_sys_err_t nc_inbox_init(nc_inbox_t *ib);
/* Watch channel under tag. Errors: LIMIT (WATCH_MAX channels watched). */
nc_sys_err_t nc_inbox_watch(nc_inbox_t *ib, uint64_t channel, uint32_t tag);
/* Stop watching tag's channel (no closed message follows). */
void nc_inbox_unwatch(nc_inbox_t *ib, uint32_t tag);
/* The next message, waiting up to timeout_ns. Errors: TIMED_OUT. */
nc_sys_err_t nc_inbox_receive(nc_inbox_t *ib, nc_inbox_msg_t *m, uint64_t timeout_ns);
/* Put a message of the program's own (tag, data) into the inbox, as if a
 * watched channel had sent it (a timer thread's tick, for instance). */
nc_sys_err_t nc_inbox_post(nc_inbox_t *ib, uint32_t tag, const void *data, size_t len);
/* Start a thread that posts an empty message under tag every period_ns, the
 * first at once. Errors: those of thread creation. */
nc_sys_err_t nc_inbox_tick(nc_inbox_t *ib, uint32_t tag, uint64_t period_ns);

#endif

/* Service routing (docs/services.md): a user-space process registers as the
 * service for a kind of call (SERVICE_FS under a path prefix, SERVICE_NET,
 * SERVICE_AI) and gets a port object (NC_SYS_HANDLE_SERVICE). The kernel's
 * handlers check each routed call exactly as a built-in one, then
 * service_call queues a request on the port and waits for the service's
 * reply; objects a service opens reach callers as remote objects (a handle
 * naming service + object id, kernel/remote.c).
 *
 * Lifetimes: a service lives while its port has handles or anything refers to
 * it (remote objects, calls in progress: service_ref/service_put). When the
 * port's last handle closes the service is shut down: it leaves the registry,
 * and every request queued or in progress completes with UNAVAILABLE.
 *
 * Locking: one spinlock per service guards its queue, its in-flight list and
 * request states; the registry has its own lock, taken before a service's.
 * Functions that wait run with interrupts on and no spinlock held. */
#ifndef KERNEL_SERVICE_H
#define KERNEL_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <nc/abi.h>

typedef struct ksvc ksvc_t;

/* One routed call, built by a kernel handler. in[0..in_len) is the payload;
 * out (out_max bytes, kernel memory) receives the reply data. pass[0..n_pass)
 * are handles moved to the service with the request (their references pass
 * to service_call, also on error). */
typedef struct {
	uint64_t op;                    /* NC_SYS_* number of the call */
	uint64_t errors;                /* NC_SYS_ERRORS_* of the call: other answers become IO_ERROR */
	uint64_t object;                /* the service's object id, 0: none */
	uint64_t args[3];
	const void *in;
	size_t in_len;                  /* at most SERVICE_PAYLOAD_MAX */
	void *out;
	size_t out_max;                 /* at most SERVICE_PAYLOAD_MAX */
	handle_ref_t pass[1];
	uint32_t n_pass;
	bool may_open;                  /* the reply may open an object (FsOpen, NetSocket, ...) */
	bool bulk;                      /* in_len may reach SERVICE_BULK_MAX (AiTranscribe's audio) */
	/* A window (FdReadBulk, FdWriteBulk): window_len bytes (at most
	 * NC_SYS_IO_BULK_MAX_BYTES) at the caller's user address window move
	 * through fresh frames (a shared memory object charged to the caller)
	 * that the service gets mapped for the request, never the caller's own
	 * pages. window_fill: the caller's bytes are copied in first and the
	 * service maps them read-only; else the service maps them writable and
	 * on OK the first reply.result bytes (at most window_len) are copied
	 * out to the caller (whose buffer is checked writable before the call). */
	uint64_t window;
	size_t window_len;
	bool window_fill;
	/* filled from the reply */
	uint64_t result;
	uint64_t new_type, new_rights;  /* of the object opened, if any */
	size_t out_len;
} svc_call_t;

enum {
	SERVICE_MAX = 32,               /* registered services at once */
	SERVICE_SIGNALS_MAX = 4096,     /* objects of one service with signals set */
	SERVICE_HEADER_BYTES = sizeof(nc_sys_service_request_t),
	SERVICE_PAYLOAD_MAX = NC_SYS_SERVICE_MSG_MAX_BYTES - sizeof(nc_sys_service_request_t),
	/* Bulk payloads: one request's most, and the most all requests in
	 * flight hold together (beyond: LIMIT), so callers cannot exhaust the
	 * kernel heap through a slow service. */
	SERVICE_BULK_MAX = SERVICE_PAYLOAD_MAX + NC_SYS_AI_AUDIO_MAX_BYTES,
	SERVICE_BULK_BUDGET = 4 * SERVICE_BULK_MAX,
};

/* Register the current process as the service for kind (prefix: SERVICE_FS's
 * absolute normalised path, else empty); *port_out gets the port object (one
 * reference, the caller's). Errors: INVALID (kind, prefix), BUSY (already
 * served), LIMIT (SERVICE_MAX services), NO_MEMORY. */
nc_sys_err_t service_register(uint64_t kind, const char *prefix, size_t prefix_len, kobj_t **port_out);
/* The live service for kind; for SERVICE_FS the one whose prefix is the
 * longest covering path (component boundary), and *rel_off gets where the
 * service's path starts in path. A counted reference (service_put), or NULL. */
ksvc_t *service_find(uint64_t kind, const char *path, size_t path_len, size_t *rel_off);
/* The k-th (from 0) SERVICE_FS prefix directly below directory dir (absolute,
 * normalised): its last component, NUL-terminated, into name (cap bytes, cut to
 * fit). False past the last one. Mount points show in their parent's listing. */
bool service_mount_point(const char *dir, size_t dir_len, uint64_t k, char *name, size_t cap);
void service_ref(ksvc_t *s);
void service_put(ksvc_t *s);
/* Forward c to s and wait for the reply; returns the reply's status. When
 * the reply opens an object (only if c->may_open), *new_obj gets a remote
 * object for it (one reference, the caller's; kernel/remote.h), else NULL.
 * A status outside c->errors (or OK with reply data longer than asked) is
 * IO_ERROR: the service broke the protocol.
 * Errors besides the service's: UNAVAILABLE (s is shut down, or shuts down
 * before replying), NO_MEMORY, INVALID (the caller's process is being killed:
 * the request is withdrawn or cancelled; or in_len/out_max/window_len too
 * large), LIMIT (a bulk payload while SERVICE_BULK_BUDGET bytes are in
 * flight; a window the caller's quota cannot take), BAD_ADDRESS (the
 * window's user memory is not readable, or not writable, by the caller). */
nc_sys_err_t service_call(ksvc_t *s, svc_call_t *c, kobj_t **new_obj);

/* The service side, for ServiceReceive and ServiceReply on port object p
 * (kernel/sys_service.c). service_receive copies the next request's header
 * and payload to the user buffer buf (buf_len bytes), installs its handles
 * in ht and maps its window into the current process (header.window);
 * *sizes gets n_bytes | n_handles << 32. Errors: TOO_SMALL (stays
 * queued), LIMIT (no room for its handles or its window), NO_MEMORY (the
 * window's page tables), BAD_ADDRESS (the request stays queued),
 * TIMED_OUT, INVALID (the process is being killed).
 * service_reply: r copied in already, data the user address of len bytes.
 * A request's window is unmapped from the service before its caller
 * resumes, also when the answer is CANCELLED.
 * Errors: BAD_ADDRESS, NOT_FOUND (no request with that id in progress), INVALID (data
 * longer than the caller takes, a bad status or object type, a windowed
 * request answered by another process than it was delivered to), CANCELLED
 * (the caller gave up: dropped, an opened object is closed). */
nc_sys_err_t service_receive(kobj_t *p, handle_table_t *ht, uint64_t buf, uint64_t buf_len,
			     uint64_t handles, uint64_t max_handles, uint64_t deadline_ns, uint64_t *sizes);
nc_sys_err_t service_reply(kobj_t *p, const nc_sys_service_reply_t *r, uint64_t data, size_t len);
/* The service behind port object p (borrowed: valid while p is). */
ksvc_t *service_of_port(kobj_t *p);

/* Queue a SERVICE_OP_CLOSE notice for object on s (memory from
 * service_note_alloc, which passes to s). */
void *service_note_alloc(void);
void service_note_free(void *note);
void service_notify_close(ksvc_t *s, void *note, uint64_t object);

/* ServiceSignal: set object's readiness signals (SIGNAL_* bits; 0 forgets
 * them) and wake HandleWaitAny waiters on s's objects. The kernel keeps them
 * until they are cleared, the object's close notice is queued, or s ends.
 * Errors: NO_MEMORY, LIMIT (SERVICE_SIGNALS_MAX objects have signals). */
nc_sys_err_t service_signal(ksvc_t *s, uint64_t object, uint64_t signals);
/* Add (add) or remove the HandleWaitAny watch n (NULL: neither) on s
 * (kernel/waitany.h); returns whether object is ready: signalled, or s is
 * shut down. */
struct watch;
bool service_watch(ksvc_t *s, uint64_t object, struct watch *n, bool add);

#endif

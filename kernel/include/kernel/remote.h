/* Remote objects: what a caller's handle names when a service opened the
 * object (a file on the disk file system, a socket): the service and the
 * service's own 64-bit id for it (docs/services.md). The handle's type is the
 * object's kind (NC_SYS_HANDLE_FILE, _DIR, _SOCKET), so programs use disk files
 * and initrd files alike; calls on it are forwarded with remote_call. When the
 * last reference goes, the service gets SERVICE_OP_CLOSE for the id (the notice's
 * memory is taken at creation). SMP-safe; nothing here sleeps but remote_call. */
#ifndef KERNEL_REMOTE_H
#define KERNEL_REMOTE_H

#include <stdbool.h>
#include <kernel/handle.h>
#include <kernel/service.h>

/* A remote object of type for object on s (one reference, the caller's; it
 * takes its own reference on s), or NULL when out of memory. */
kobj_t *remote_create(ksvc_t *s, uint64_t object, uint32_t type);
/* True when o is a remote object. */
bool remote_is(const kobj_t *o);
/* Forward c (c->object is filled in) to o's service: service_call's contract. */
nc_sys_err_t remote_call(kobj_t *o, svc_call_t *c, kobj_t **new_obj);

/* HandleWaitAny (kernel/waitany.h): add (add) or remove the watch n on o's
 * service, and whether o is ready (service_watch). */
bool remote_watch(kobj_t *o, struct watch *n, bool add);
bool remote_readable(kobj_t *o);

#endif

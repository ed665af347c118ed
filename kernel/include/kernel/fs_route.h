/* File calls routed to file-system services (docs/services.md): the shared
 * steps of kernel/sys_fs.c and kernel/sys_fs_write.c. A path under a
 * SERVICE_FS prefix (e.g. /disk) goes to that service, relative to its
 * prefix; every other path is the initrd's (kernel/fs.h), which is read-only.
 * Handles of files and directories a service opened are remote objects
 * (kernel/remote.h). Functions that forward a call wait for the service. */
#ifndef KERNEL_FS_ROUTE_H
#define KERNEL_FS_ROUTE_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/service.h>
#include <nc/abi.h>

/* Copy a user path and resolve it against the working directory into abs
 * (NC_SYS_PATH_MAX + 1 bytes). Errors: INVALID, BAD_ADDRESS. */
nc_sys_err_t fs_user_path(uint64_t path, uint64_t path_len, char *abs, size_t *abs_len);
/* fs_user_path, then the current process must hold action on the path
 * (scope). Errors: those, DENIED, REVOKED, EXPIRED. */
nc_sys_err_t fs_user_path_checked(uint64_t path, uint64_t path_len, const char *action, char *abs,
				  size_t *abs_len);
/* The file-system service serving abs, or NULL; counted (service_put).
 * *rel and *rel_len get abs relative to the service's prefix ("/" for the
 * prefix itself). */
ksvc_t *fs_route_find(const char *abs, size_t abs_len, const char **rel, size_t *rel_len);
/* Forward op on abs to the service serving it, with data back into out
 * (exactly out_bytes expected; 0: none). *routed says whether a service
 * serves abs (when false nothing was done). errors: the call's
 * NC_SYS_ERRORS_* mask. Errors: the service's, UNAVAILABLE, NO_MEMORY,
 * IO_ERROR (the service answered out of protocol). */
nc_sys_err_t fs_route_path(uint64_t op, uint64_t errors, const char *abs, size_t abs_len, void *out,
			   size_t out_bytes, bool *routed);
/* Forward a call on a remote object o whose reply data must be exactly
 * out_bytes long (0: none, or any length up to c->out_max when c->out_max is
 * set and out_bytes is 0); IO_ERROR when it is not. */
nc_sys_err_t fs_route_object(kobj_t *o, svc_call_t *c, size_t out_bytes);

#endif

/* Service system calls: ServiceRegister, ServiceReceive, ServiceReply
 * (docs/services.md, kernel/service.h). */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/fs.h>
#include <kernel/measure.h>
#include <kernel/process.h>
#include <kernel/service.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

static const char *const kind_names[] = { [NC_SYS_SERVICE_NET] = "net", [NC_SYS_SERVICE_AI] = "ai",
					  [NC_SYS_SERVICE_TEE] = "tee" };

/* The name service.register's scope must cover: "fs:PREFIX" or the kind's name. */
static nc_sys_err_t register_name(uint64_t kind, const char *prefix, size_t len, char *name, size_t *name_len)
{
	if (kind == NC_SYS_SERVICE_FS) {
		nc_mem_copy(name, "fs:", 3);
		nc_mem_copy(name + 3, prefix, len);
		*name_len = len + 3;
		return NC_SYS_OK;
	}
	if (kind > NC_SYS_SERVICE_TEE || !kind_names[kind] || len)
		return NC_SYS_ERR_INVALID;
	*name_len = nc_str_len(kind_names[kind]);
	nc_mem_copy(name, kind_names[kind], *name_len);
	return NC_SYS_OK;
}

nc_sys_err_t sys_service_register(uint64_t kind, uint64_t prefix, uint64_t prefix_len, uint64_t *handle_out)
{
	char k[NC_SYS_PATH_MAX], abs[NC_SYS_PATH_MAX + 1], name[NC_SYS_PATH_MAX + 4];
	size_t abs_len = 0, name_len;
	if (prefix_len > NC_SYS_PATH_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(k, prefix, prefix_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	nc_sys_err_t err = NC_SYS_OK;
	if (kind == NC_SYS_SERVICE_FS) { /* absolute, already normalised, not the root */
		err = prefix_len ? fs_resolve("/", k, prefix_len, abs, &abs_len) : NC_SYS_ERR_INVALID;
		if (!err && (abs_len != prefix_len || nc_mem_compare(abs, k, abs_len) || abs_len < 2))
			err = NC_SYS_ERR_INVALID;
	}
	if (!err)
		err = register_name(kind, abs, abs_len, name, &name_len);
	if (!err && prefix_len && kind != NC_SYS_SERVICE_FS)
		err = NC_SYS_ERR_INVALID;
	if (!err)
		err = cap_check("service.register", name, name_len);
	kobj_t *port;
	if (!err)
		err = service_register(kind, abs, abs_len, &port);
	if (err)
		return err;
	const uint32_t rights = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE |
				NC_SYS_RIGHT_TRANSFER;
	err = handle_install(handle_table_current(), port, rights, NULL, handle_out);
	kobj_unref(port);
	if (!err) { /* what now serves these calls (docs/attestation.md) */
		const process_t *p = thread_current()->proc;
		measure_extend_data(NC_TEE_LOG_SERVICE, name, name_len, p->image, p->image_bytes);
	}
	return err;
}

nc_sys_err_t sys_service_receive(uint64_t port, uint64_t buf, uint64_t buf_len, uint64_t handles,
				 uint64_t max_handles, uint64_t timeout_ns, uint64_t *sizes_out)
{
	handle_table_t *ht = handle_table_current();
	handle_ref_t r;
	nc_sys_err_t err = handle_get(ht, port, NC_SYS_HANDLE_SERVICE, NC_SYS_RIGHT_READ, &r);
	if (err)
		return err;
	err = service_receive(r.obj, ht, buf, buf_len, handles, max_handles, clock_deadline_after(timeout_ns),
			      sizes_out);
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_service_reply(uint64_t port, uint64_t reply, uint64_t data, uint64_t data_len)
{
	nc_sys_service_reply_t rep;
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), port, NC_SYS_HANDLE_SERVICE, NC_SYS_RIGHT_WRITE, &r);
	if (err)
		return err;
	if (copy_from_user(&rep, reply, sizeof rep))
		err = NC_SYS_ERR_BAD_ADDRESS;
	else if (data_len > SERVICE_PAYLOAD_MAX)
		err = NC_SYS_ERR_INVALID;
	else
		err = service_reply(r.obj, &rep, data, data_len);
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_service_signal(uint64_t port, uint64_t object, uint64_t signals)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), port, NC_SYS_HANDLE_SERVICE, NC_SYS_RIGHT_WRITE, &r);
	if (err)
		return err;
	if (signals & ~(uint64_t)NC_SYS_SIGNAL_READABLE || object == 0)
		err = NC_SYS_ERR_INVALID;
	else
		err = service_signal(service_of_port(r.obj), object, signals);
	handle_put(&r);
	return err;
}

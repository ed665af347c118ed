/* The service side of service routing (nc/ulib.h, docs/services.md): thin
 * wrappers over ServiceReceive and ServiceReply. */
#include <nc/ulib.h>

nc_sys_err_t nc_service_receive(uint64_t port, nc_service_msg_t *m, uint64_t timeout_ns)
{
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_service_receive(port, m, sizeof m->hdr + sizeof m->payload, m->handles, 1,
						  timeout_ns, &sizes);
	m->n_handles = err ? 0 : (uint32_t)(sizes >> 32);
	return err;
}

nc_sys_err_t nc_service_answer(uint64_t port, uint64_t id, nc_sys_err_t status, uint64_t result,
			       const void *data, size_t len)
{
	nc_sys_service_reply_t r = { .id = id, .status = status, .result = result };
	return nc_sys_service_reply(port, &r, data, len);
}

nc_sys_err_t nc_service_answer_object(uint64_t port, uint64_t id, uint64_t object, uint64_t type,
				      uint64_t rights)
{
	nc_sys_service_reply_t r = { .id = id, .status = NC_SYS_OK, .object = object, .object_type = type,
				     .rights = rights };
	return nc_sys_service_reply(port, &r, NULL, 0);
}

void nc_service_ready(void)
{
	static nc_sys_handle_info_t infos[NC_SYS_HANDLES_MAX];
	uint64_t n;
	if (nc_sys_handle_list(0, infos, NC_SYS_HANDLES_MAX, &n))
		return;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++)
		if (infos[i].type == NC_SYS_HANDLE_CHANNEL && (infos[i].rights & NC_SYS_RIGHT_WRITE) &&
		    !(infos[i].rights & NC_SYS_RIGHT_READ)) {
			uint8_t b = 1;
			nc_sys_ipc_send(infos[i].handle, &b, 1, NULL, 0, 0);
			nc_sys_handle_close(infos[i].handle);
			return;
		}
}

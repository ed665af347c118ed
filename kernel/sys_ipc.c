/* IPC system calls: IpcCreateChannel, IpcSend, IpcReceive, IpcCall,
 * IpcReplyReceive, and (ABI v2) IpcCallShort, IpcReplyReceiveShort
 * (docs/abi.md, docs/ipc.md). Each call checks its handle and every
 * argument, copies the payload into a kernel message before touching the
 * channel, and copies out after; the short calls keep theirs in registers. */
#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/process.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

nc_sys_err_t sys_ipc_create_channel(uint64_t ends)
{
	uint64_t probe[2];
	if (copy_from_user(probe, ends, sizeof probe) || copy_to_user(ends, probe, sizeof probe))
		return NC_SYS_ERR_BAD_ADDRESS;
	kobj_t *e0, *e1;
	nc_sys_err_t err = channel_create(&e0, &e1);
	if (err)
		return err;
	handle_table_t *ht = handle_table_current();
	uint64_t h[2] = { 0, 0 };
	err = handle_install(ht, e0, NC_SYS_RIGHTS_ALL & ~(uint32_t)(NC_SYS_RIGHT_REVOKE | NC_SYS_RIGHT_EXPORT),
			     NULL, &h[0]);
	if (!err)
		err = handle_install(ht, e1, NC_SYS_RIGHTS_ALL & ~(uint32_t)(NC_SYS_RIGHT_REVOKE | NC_SYS_RIGHT_EXPORT),
				     NULL, &h[1]);
	kobj_unref(e0);
	kobj_unref(e1);
	if (!err && copy_to_user(ends, h, sizeof h))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (err) {
		if (h[0])
			handle_close(ht, h[0]);
		if (h[1])
			handle_close(ht, h[1]);
	}
	return err;
}

/* A message for ep's channel with the user payload buf[0..len). Errors:
 * INVALID, BAD_ADDRESS, NO_MEMORY. */
static nc_sys_err_t build(kobj_t *ep, uint64_t buf, uint64_t len, ipc_msg_t **out)
{
	if (len > NC_SYS_IPC_MSG_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	ipc_msg_t *m = channel_msg_alloc(ep);
	if (!m)
		return NC_SYS_ERR_NO_MEMORY;
	if (copy_from_user(m->data, buf, len)) {
		channel_msg_free(ep, m);
		return NC_SYS_ERR_BAD_ADDRESS;
	}
	m->len_bytes = (uint32_t)len;
	*out = m;
	return NC_SYS_OK;
}

/* Move the handles hs[0..n) from the caller's table into m. On error the
 * ones already moved go back under their values (handle_restore). */
static nc_sys_err_t take_handles(handle_table_t *ht, const uint64_t *hs, uint64_t n, ipc_msg_t *m)
{
	for (uint64_t i = 0; i < n; i++) {
		nc_sys_err_t err = handle_take(ht, hs[i], 0, NC_SYS_RIGHT_TRANSFER, &m->handles[i]);
		if (err) {
			for (uint64_t j = 0; j < i; j++) {
				uint64_t h;
				handle_restore(ht, hs[j], &m->handles[j], &h);
				handle_put(&m->handles[j]);
			}
			return err;
		}
		m->n_handles = (uint32_t)i + 1;
	}
	return NC_SYS_OK;
}

nc_sys_err_t sys_ipc_send(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t handles,
			  uint64_t n_handles, uint64_t timeout_ns)
{
	handle_table_t *ht = handle_table_current();
	handle_ref_t ep;
	nc_sys_err_t err = handle_get(ht, handle, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE, &ep);
	if (err)
		return err;
	uint64_t hs[NC_SYS_IPC_MSG_MAX_HANDLES];
	ipc_msg_t *m = NULL;
	if (n_handles > NC_SYS_IPC_MSG_MAX_HANDLES)
		err = NC_SYS_ERR_INVALID;
	else if (copy_from_user(hs, handles, n_handles * sizeof hs[0]))
		err = NC_SYS_ERR_BAD_ADDRESS;
	else
		err = build(ep.obj, buf, len_bytes, &m);
	for (uint64_t i = 0; !err && i < n_handles; i++) {
		handle_ref_t r = { NULL, 0, NULL }; /* an endpoint cannot travel over its own channel */
		err = handle_get(ht, hs[i], 0, NC_SYS_RIGHT_TRANSFER, &r);
		if (!err && channel_same(r.obj, ep.obj))
			err = NC_SYS_ERR_INVALID;
		if (r.obj)
			handle_put(&r);
	}
	if (!err)
		err = take_handles(ht, hs, n_handles, m);
	if (!err) {
		err = channel_send(ep.obj, m, clock_deadline_after(timeout_ns));
		if (err) { /* give the handles back, under their values */
			for (uint32_t i = 0; i < m->n_handles; i++) {
				uint64_t h;
				handle_restore(ht, hs[i], &m->handles[i], &h);
			}
		} else {
			m = NULL;
		}
	}
	channel_msg_free(ep.obj, m);
	handle_put(&ep);
	return err;
}

/* Copy m out to the caller: the payload, then its handles installed in ht
 * into the slots channel_receive promised. */
static nc_sys_err_t deliver(handle_table_t *ht, ipc_msg_t *m, uint64_t buf, uint64_t handles)
{
	if (m->len_bytes && copy_to_user(buf, m->data, m->len_bytes)) {
		handle_unreserve(ht, m->n_handles);
		return NC_SYS_ERR_BAD_ADDRESS;
	}
	return handle_install_to_user(ht, m->handles, m->n_handles, handles, true);
}

nc_sys_err_t sys_ipc_receive(uint64_t handle, uint64_t buf, uint64_t buf_len, uint64_t handles,
			     uint64_t max_handles, uint64_t timeout_ns, uint64_t *sizes_out)
{
	handle_table_t *ht = handle_table_current();
	handle_ref_t ep;
	nc_sys_err_t err = handle_get(ht, handle, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_READ, &ep);
	if (err)
		return err;
	ipc_msg_t *m = NULL;
	err = channel_receive(ep.obj, buf_len, max_handles, ht, clock_deadline_after(timeout_ns), &m);
	if (!err) {
		/* taken off the queue: a fault from here on loses the message (the caller's bug) */
		err = deliver(ht, m, buf, handles);
		if (!err)
			*sizes_out = m->len_bytes | (uint64_t)m->n_handles << 32;
		channel_msg_free(ep.obj, m);
	}
	handle_put(&ep);
	return err;
}

/* Send buf[0..len) (when send) then receive into reply[0..reply_len): the
 * shared body of IpcCall and IpcReplyReceive (inlined into both: it is the
 * call/reply path, docs/ipc.md). */
static inline __attribute__((always_inline)) nc_sys_err_t send_then_receive(uint64_t handle, bool send, uint64_t buf, uint64_t len,
				      uint64_t reply, uint64_t reply_len, uint64_t deadline_ns,
				      uint64_t *n_out)
{
	handle_ref_t ep;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_CHANNEL,
				      NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE, &ep);
	if (err)
		return err;
	ipc_msg_t *m = NULL, *sent = NULL;
	if (send)
		err = build(ep.obj, buf, len, &sent);
	if (!err)
		err = channel_call(ep.obj, &sent, reply_len, deadline_ns, NULL, &m);
	channel_msg_free(ep.obj, sent); /* not queued: still ours */
	if (!err && m->len_bytes && copy_to_user(reply, m->data, m->len_bytes))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err)
		*n_out = m->len_bytes;
	channel_msg_free(ep.obj, m);
	handle_put(&ep);
	return err;
}

nc_sys_err_t sys_ipc_call(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t reply,
			  uint64_t reply_len, uint64_t timeout_ns, uint64_t *n_bytes_out)
{
	return send_then_receive(handle, true, buf, len_bytes, reply, reply_len,
				 clock_deadline_after(timeout_ns), n_bytes_out);
}

nc_sys_err_t sys_ipc_reply_receive(uint64_t handle, uint64_t buf, uint64_t len_bytes, uint64_t request,
				   uint64_t request_len, uint64_t timeout_ns, uint64_t *n_bytes_out)
{
	return send_then_receive(handle, buf || len_bytes, buf, len_bytes, request, request_len,
				 clock_deadline_after(timeout_ns), n_bytes_out);
}

nc_sys_err_t sys_ipc_call_short(uint64_t handle, uint64_t msg[5])
{
	if (msg[0] > NC_SYS_IPC_SHORT_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	return channel_call_short(handle_table_current(), handle, true, msg);
}

nc_sys_err_t sys_ipc_reply_receive_short(uint64_t handle, uint64_t msg[5])
{
	bool send = msg[0] != NC_SYS_IPC_SHORT_NO_REPLY;
	if (send && msg[0] > NC_SYS_IPC_SHORT_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	return channel_call_short(handle_table_current(), handle, send, msg);
}

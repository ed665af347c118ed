/* Standard input (see nc/ulib.h): the first channel endpoint with RIGHT_READ
 * among the program's handles. Its messages are bytes in order; a message
 * larger than the caller's buffer is handed out over several calls. */
#include <nc/ulib.h>
#include <nc/mem.h>

static nc_lock_t lock;
static bool looked_up;
static uint64_t handle; /* 0: none */
static uint8_t pending[NC_SYS_IPC_MSG_MAX_BYTES];
static uint64_t pending_len, pending_off;

/* Refill pending from the channel. Lock held. */
static nc_sys_err_t refill(uint64_t timeout_ns)
{
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_ipc_receive(handle, pending, sizeof pending, NULL, 0, timeout_ns, &sizes);
	if (err)
		return err;
	pending_len = sizes & 0xffffffffu;
	pending_off = 0;
	return NC_SYS_OK;
}

nc_sys_err_t nc_stdin_read(void *buf, size_t len, uint64_t timeout_ns, size_t *n_out)
{
	nc_sys_err_t err = NC_SYS_OK;
	*n_out = 0;
	nc_lock_acquire(&lock);
	if (!looked_up) {
		handle = nc_handle_find(NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_READ, 0);
		looked_up = true;
	}
	while (handle && len && pending_off == pending_len && !err)
		err = refill(timeout_ns); /* an empty message is skipped */
	if (!handle || err == NC_SYS_ERR_PEER_CLOSED) {
		err = NC_SYS_OK; /* end of input */
	} else if (!err && len) {
		size_t n = pending_len - pending_off < len ? pending_len - pending_off : len;
		nc_mem_copy(buf, pending + pending_off, n);
		pending_off += n;
		*n_out = n;
	}
	nc_lock_release(&lock);
	return err;
}

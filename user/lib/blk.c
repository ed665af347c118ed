/* The block protocol's client side (see nc/blk.h). */
#include <nc/blk.h>
#include <nc/mem.h>

nc_sys_err_t nc_blk_open(nc_blk_t *b, const char *name, uint64_t window_bytes)
{
	nc_mem_set(b, 0, sizeof *b);
	nc_sys_err_t err = nc_sys_blk_lookup(name, nc_str_len(name), &b->channel);
	if (err)
		return err;
	uint64_t addr = 0, sizes;
	err = nc_sys_shm_create(window_bytes, &b->shm);
	if (!err)
		err = nc_sys_shm_size(b->shm, &b->window_bytes);
	if (!err)
		err = nc_sys_shm_map(b->shm, 0, 0, b->window_bytes, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr);
	b->window = (uint8_t *)addr;
	uint64_t give;
	if (!err)
		err = nc_sys_handle_duplicate(b->shm, NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &give);
	nc_blk_attach_t a = { NC_BLK_OP_ATTACH, 0 };
	if (!err) {
		err = nc_sys_ipc_send(b->channel, &a, sizeof a, &give, 1, NC_SYS_TIMEOUT_INFINITE);
		if (err)
			nc_sys_handle_close(give);
	}
	if (!err)
		err = nc_sys_ipc_receive(b->channel, &b->info, sizeof b->info, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
	if (!err && (uint32_t)sizes != sizeof b->info)
		err = NC_SYS_ERR_INVALID;
	if (!err)
		err = (nc_sys_err_t)b->info.status;
	if (err)
		nc_blk_close(b);
	return err;
}

void nc_blk_close(nc_blk_t *b)
{
	if (b->window)
		nc_sys_mem_unmap((uint64_t)b->window, b->window_bytes);
	if (b->shm)
		nc_sys_handle_close(b->shm);
	if (b->channel)
		nc_sys_handle_close(b->channel);
	nc_mem_set(b, 0, sizeof *b);
}

nc_sys_err_t nc_blk_submit(nc_blk_t *b, const nc_blk_req_t *reqs, size_t n)
{
	if (n == 0 || n > NC_BLK_REQS_PER_MSG)
		return NC_SYS_ERR_INVALID;
	return nc_sys_ipc_send(b->channel, reqs, n * sizeof *reqs, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

nc_sys_err_t nc_blk_wait(nc_blk_t *b, nc_blk_done_t *done, size_t max, size_t *n_out, uint64_t timeout_ns)
{
	nc_blk_done_t buf[NC_BLK_DONES_PER_MSG];
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_ipc_receive(b->channel, buf, sizeof buf, NULL, 0, timeout_ns, &sizes);
	if (err)
		return err;
	size_t n = (uint32_t)sizes / sizeof buf[0];
	if (n == 0 || n > max || (uint32_t)sizes % sizeof buf[0])
		return NC_SYS_ERR_INVALID;
	nc_mem_copy(done, buf, n * sizeof buf[0]);
	*n_out = n;
	return NC_SYS_OK;
}

nc_sys_err_t nc_blk_io(nc_blk_t *b, uint8_t op, uint8_t flags, uint64_t lba, uint32_t n_blocks, uint64_t offset)
{
	nc_blk_req_t r = { op, flags, 0, n_blocks, lba, offset, ++b->next_id };
	nc_blk_done_t d[NC_BLK_DONES_PER_MSG];
	size_t n;
	nc_sys_err_t err = nc_blk_submit(b, &r, 1);
	if (!err)
		err = nc_blk_wait(b, d, NC_BLK_DONES_PER_MSG, &n, NC_SYS_TIMEOUT_INFINITE);
	if (!err && (n != 1 || d[0].id != r.id))
		err = NC_SYS_ERR_INVALID; /* another request's completion: not for this synchronous use */
	return err ? err : (nc_sys_err_t)d[0].status;
}

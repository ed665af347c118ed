/* The block registry (docs/block.md): BlkRegister, BlkRegisterDevice,
 * BlkLookup, BlkList. A driver offers a device under a name with a channel
 * endpoint it gives the kernel; the driver keeps the peer and receives there
 * one connect message per client. BlkLookup makes a fresh channel, sends one
 * end to the driver in a connect message (struct blk_connect below) and gives
 * the other end to the client, which then speaks the block protocol with the
 * driver directly; the kernel is not on the data path. An entry whose driver
 * has gone (the peer endpoint closed) is not listed, is replaced by a new
 * registration of the same name, and is dropped by the lookup that finds it
 * gone (NOT_FOUND). */
#include <kernel/cap.h>
#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

enum { BLK_ENTRIES_MAX = 16, NAME_MAX = 31, CONNECT_KIND = 1, CONNECT_WRITABLE = 1 };
#define CONNECT_TIMEOUT_NS 2000000000ull

/* The connect message the driver receives, with the client's endpoint. */
struct blk_connect {
	uint32_t kind;          /* CONNECT_KIND */
	uint32_t flags;         /* CONNECT_WRITABLE: the client holds blk.write on the name */
	uint64_t client_pid;
};

typedef struct {
	kobj_t *ep;             /* counted; NULL: free entry */
	nc_sys_blk_info_t info;
} blk_entry_t;

static spinlock_t lock = SPINLOCK_INIT;
static blk_entry_t entries[BLK_ENTRIES_MAX];

static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
		      s[i] == '.'))
			return false;
	return true;
}

/* The entry named name (lock held), or NULL. */
static blk_entry_t *find(const char *name)
{
	for (int i = 0; i < BLK_ENTRIES_MAX; i++)
		if (entries[i].ep && nc_str_compare(entries[i].info.name, name) == 0)
			return &entries[i];
	return NULL;
}

/* Register info with the endpoint behind handle channel (moved from the
 * caller's table). info is checked. */
static nc_sys_err_t do_register(nc_sys_blk_info_t *info, uint64_t channel)
{
	size_t n = nc_str_len_max(info->name, sizeof info->name);
	if (!name_ok(info->name, n) || (info->flags & ~(uint64_t)NC_SYS_BLK_READ_ONLY) ||
	    (info->block_bytes && info->block_bytes != 512 && info->block_bytes != 4096))
		return NC_SYS_ERR_INVALID;
	nc_sys_err_t err = cap_check("blk.register", info->name, n);
	if (err)
		return err;
	handle_ref_t r;
	handle_table_t *ht = handle_table_current();
	err = handle_take(ht, channel, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_TRANSFER | NC_SYS_RIGHT_WRITE, &r);
	if (err)
		return err;
	info->driver_pid = thread_current()->proc->pid;
	kobj_t *old = NULL;
	uint64_t f = spin_lock(&lock);
	blk_entry_t *e = find(info->name);
	if (e && channel_peer_alive(e->ep)) {
		err = NC_SYS_ERR_BUSY;
	} else {
		if (e) {
			old = e->ep; /* its driver is gone: the name is free again */
		} else {
			for (int i = 0; i < BLK_ENTRIES_MAX && !e; i++)
				if (!entries[i].ep)
					e = &entries[i];
		}
		if (!e) {
			err = NC_SYS_ERR_LIMIT;
		} else {
			e->ep = r.obj;
			e->info = *info;
			kobj_ref(r.obj);
		}
	}
	spin_unlock(&lock, f);
	kobj_unref(old);
	if (err) {
		uint64_t h;
		handle_restore(ht, channel, &r, &h);
	}
	handle_put(&r);
	return err;
}

nc_sys_err_t sys_blk_register(uint64_t name, uint64_t name_len, uint64_t channel)
{
	nc_sys_blk_info_t info;
	nc_mem_set(&info, 0, sizeof info);
	if (name_len == 0 || name_len > NAME_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(info.name, name, name_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	return do_register(&info, channel);
}

nc_sys_err_t sys_blk_register_device(uint64_t info_addr, uint64_t channel)
{
	nc_sys_blk_info_t info;
	if (copy_from_user(&info, info_addr, sizeof info))
		return NC_SYS_ERR_BAD_ADDRESS;
	if (info.name[sizeof info.name - 1] || !info.block_bytes || !info.n_blocks)
		return NC_SYS_ERR_INVALID;
	return do_register(&info, channel);
}

/* Send the driver behind ep a connect message carrying client end c1. */
static nc_sys_err_t connect(kobj_t *ep, kobj_t *c1, bool writable)
{
	ipc_msg_t *m = channel_msg_alloc(ep);
	if (!m)
		return NC_SYS_ERR_NO_MEMORY;
	struct blk_connect msg = { CONNECT_KIND, writable ? CONNECT_WRITABLE : 0, thread_current()->proc->pid };
	nc_mem_copy(m->data, &msg, sizeof msg);
	m->len_bytes = sizeof msg;
	m->n_handles = 1;
	m->handles[0] = (handle_ref_t){ c1, NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, NULL };
	kobj_ref(c1);
	nc_sys_err_t err = channel_send(ep, m, clock_deadline_after(CONNECT_TIMEOUT_NS));
	if (err)
		channel_msg_free(ep, m); /* drops the reference on c1 it still holds */
	return err;
}

nc_sys_err_t sys_blk_lookup(uint64_t name, uint64_t name_len, uint64_t *handle_out)
{
	char kname[NAME_MAX + 1];
	if (name_len == 0 || name_len > NAME_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(kname, name, name_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	kname[name_len] = 0;
	nc_sys_err_t err = cap_check("blk.lookup", kname, name_len);
	if (err)
		return err;
	bool writable = cap_check("blk.write", kname, name_len) == NC_SYS_OK;
	uint64_t f = spin_lock(&lock);
	blk_entry_t *e = find(kname);
	kobj_t *ep = e ? e->ep : NULL;
	if (ep)
		kobj_ref(ep);
	spin_unlock(&lock, f);
	if (!ep)
		return NC_SYS_ERR_NOT_FOUND;
	kobj_t *c0, *c1;
	err = channel_create(&c0, &c1);
	if (!err) {
		err = connect(ep, c1, writable);
		kobj_unref(c1);
		if (!err)
			err = handle_install(handle_table_current(), c0,
					     NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE |
						     NC_SYS_RIGHT_TRANSFER,
					     NULL, handle_out);
		kobj_unref(c0);
	}
	if (err == NC_SYS_ERR_PEER_CLOSED) {
		/* the driver is gone: drop the entry (unless re-registered meanwhile) */
		kobj_t *old = NULL;
		f = spin_lock(&lock);
		e = find(kname);
		if (e && e->ep == ep) {
			old = e->ep;
			e->ep = NULL;
		}
		spin_unlock(&lock, f);
		kobj_unref(old);
		err = NC_SYS_ERR_NOT_FOUND;
	}
	kobj_unref(ep);
	return err;
}

nc_sys_err_t sys_blk_list(uint64_t out, uint64_t max_entries, uint64_t *n_out)
{
	nc_sys_blk_info_t *buf = heap_alloc(BLK_ENTRIES_MAX * sizeof *buf);
	if (!buf)
		return NC_SYS_ERR_NO_MEMORY;
	uint64_t n = 0;
	uint64_t f = spin_lock(&lock);
	for (int i = 0; i < BLK_ENTRIES_MAX; i++)
		if (entries[i].ep && channel_peer_alive(entries[i].ep))
			buf[n++] = entries[i].info;
	spin_unlock(&lock, f);
	uint64_t k = max_entries < n ? max_entries : n;
	nc_sys_err_t err = k && copy_to_user(out, buf, k * sizeof *buf) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
	heap_free(buf);
	if (!err)
		*n_out = n;
	return err;
}

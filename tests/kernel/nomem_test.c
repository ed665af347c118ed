/* Out-of-memory paths of the system calls. Every call that allocates runs
 * with its allocation number k made to fail (alloc_fail.h), for k = 0, 1,
 * 2, ... until a run needs fewer than k + 1 allocations: once failing only
 * allocation k, once failing k and every later one (memory gone for good).
 * Each run where an allocation failed must return NO_MEMORY and leave
 * nothing behind (see left_t); the run where nothing failed must give the
 * call's normal result. The calls go through their handlers in a test
 * process (tproc.h), as a user thread's system call would after the
 * dispatcher's checks. Further tests take every frame for real. */
#include "alloc_fail.h"
#include "nc_test.h"
#include "tproc.h"
#include <stddef.h>
#include <kernel/cap.h>
#include <kernel/display.h>
#include <kernel/handle.h>
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

enum {
	MAX_ALLOCS = 4096,  /* no call here needs nearly that many */
	/* offsets into the test process's data pages */
	OFF_OUT = 0, OFF_STR = 256, OFF_SPEC = 512, OFF_MSG = 1024, OFF_HANDLES = 1536,
	OFF_BUF = 4096, BUF_BYTES = 8192,
	MSG_BYTES = 16, MAP_PAGES = 3,
};

/* How a run fails: only allocation k, k and every later one, or none (the
 * first run of each call). */
enum { MODE_ALONE, MODE_EVERY, MODE_WARM_UP };

/* Fixed MemMap addresses in otherwise empty 512 GiB regions, one per mode,
 * so every page-table level has to be made. */
#define FRESH_VA(mode) (0x500000000000ull + (uint64_t)(mode) * (512ull << 30))

typedef struct {
	int mode;          /* MODE_* */
	uint64_t v[4];     /* handles and values a case keeps between its steps */
} state_t;

typedef struct {
	const char *name;
	nc_sys_err_t want;                       /* the result when nothing fails */
	void (*prepare)(state_t *s);             /* NULL: nothing to prepare */
	nc_sys_err_t (*run)(state_t *s);         /* the call under test (armed) */
	void (*finish)(state_t *s, nc_sys_err_t err); /* undo a success, release prepare's */
} op_t;

static uint64_t va(uint64_t off) { return TPROC_DATA + off; }

static void put(uint64_t off, const void *src, size_t n)
{
	copy_to_user(va(off), src, n);
}

static uint64_t get_u64(uint64_t off)
{
	uint64_t x = 0;
	copy_from_user(&x, va(off), sizeof x);
	return x;
}

/* The first handle of type (a capability: whose action is action). */
static uint64_t find_handle(uint32_t type, const char *action)
{
	handle_table_t *ht = handle_table_current();
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++) {
		handle_ref_t r;
		uint64_t h;
		if (!handle_slot_ref(ht, i, &r, &h))
			continue;
		bool match = r.obj->type == type &&
			     (!action || nc_str_compare(((kcap_t *)r.obj)->action, action) == 0);
		handle_put(&r);
		if (match)
			return h;
	}
	return 0;
}

static uint64_t console(void) { return find_handle(NC_SYS_HANDLE_CONSOLE, NULL); }
static uint64_t fs_root(void) { return find_handle(NC_SYS_HANDLE_CAP, "fs"); }

static void close_handle(uint64_t h) { handle_close(handle_table_current(), h); }

/* --- IPC --- */

static void chan_prepare(state_t *s)
{
	sys_ipc_create_channel(va(OFF_OUT));
	s->v[0] = get_u64(OFF_OUT);
	s->v[1] = get_u64(OFF_OUT + 8);
	put(OFF_MSG, "sixteen bytes...", MSG_BYTES);
}

static void chan_finish(state_t *s, nc_sys_err_t err)
{
	(void)err;
	close_handle(s->v[0]);
	close_handle(s->v[1]);
}

static nc_sys_err_t create_run(state_t *s)
{
	(void)s;
	return sys_ipc_create_channel(va(OFF_OUT));
}

static void create_finish(state_t *s, nc_sys_err_t err)
{
	if (err)
		return;
	s->v[0] = get_u64(OFF_OUT);
	s->v[1] = get_u64(OFF_OUT + 8);
	chan_finish(s, err);
}

static nc_sys_err_t send_run(state_t *s)
{
	return sys_ipc_send(s->v[0], va(OFF_MSG), MSG_BYTES, va(OFF_HANDLES), 0, 0);
}

static void send_handle_prepare(state_t *s)
{
	chan_prepare(s);
	sys_handle_duplicate(console(), NC_SYS_RIGHT_TRANSFER, &s->v[2]);
	put(OFF_HANDLES, &s->v[2], sizeof s->v[2]);
}

static nc_sys_err_t send_handle_run(state_t *s)
{
	return sys_ipc_send(s->v[0], va(OFF_MSG), MSG_BYTES, va(OFF_HANDLES), 1, 0);
}

/* A failed send leaves the handle with the sender; a sent one is gone. */
static void send_handle_finish(state_t *s, nc_sys_err_t err)
{
	nc_sys_err_t closed = handle_close(handle_table_current(), s->v[2]);
	chan_finish(s, err);
	NC_CHECK_EQ(closed, err ? NC_SYS_OK : NC_SYS_ERR_BAD_HANDLE);
}

static nc_sys_err_t call_run(state_t *s)
{
	uint64_t n;
	return sys_ipc_call(s->v[0], va(OFF_MSG), MSG_BYTES, va(OFF_BUF), NC_SYS_IPC_MSG_MAX_BYTES, 0, &n);
}

static nc_sys_err_t reply_receive_run(state_t *s)
{
	uint64_t n;
	return sys_ipc_reply_receive(s->v[0], va(OFF_MSG), MSG_BYTES, va(OFF_BUF),
				     NC_SYS_IPC_MSG_MAX_BYTES, 0, &n);
}

static void receive_prepare(state_t *s)
{
	chan_prepare(s);
	sys_ipc_send(s->v[1], va(OFF_MSG), MSG_BYTES, va(OFF_HANDLES), 0, 0);
}

static nc_sys_err_t receive_run(state_t *s)
{
	uint64_t sizes;
	return sys_ipc_receive(s->v[0], va(OFF_BUF), NC_SYS_IPC_MSG_MAX_BYTES, va(OFF_HANDLES), 4, 0, &sizes);
}

/* The short calls with an answer too long for registers queued, so they
 * return at once (TOO_SMALL, the answer stays); their request, sent in a
 * buffer since the peer does not wait, stays queued too. */
static void long_answer_prepare(state_t *s)
{
	chan_prepare(s);
	sys_ipc_send(s->v[1], va(OFF_MSG), NC_SYS_IPC_SHORT_MAX_BYTES + 1, va(OFF_HANDLES), 0, 0);
}

static nc_sys_err_t call_short_run(state_t *s)
{
	uint64_t msg[5] = { 8, 0x0706050403020100ull, 0, 0, 0 };
	return sys_ipc_call_short(s->v[0], msg);
}

static nc_sys_err_t reply_receive_short_run(state_t *s)
{
	uint64_t msg[5] = { 8, 0x0706050403020100ull, 0, 0, 0 };
	return sys_ipc_reply_receive_short(s->v[0], msg);
}

/* --- handles and lists --- */

static nc_sys_err_t duplicate_run(state_t *s)
{
	return sys_handle_duplicate(console(), NC_SYS_RIGHT_READ, &s->v[0]);
}

static void close_v0_finish(state_t *s, nc_sys_err_t err)
{
	if (!err)
		close_handle(s->v[0]);
}

static nc_sys_err_t handle_list_run(state_t *s)
{
	(void)s;
	uint64_t n;
	/* 16 entries of 272 bytes: the kernel buffer is a large heap block */
	return sys_handle_list(0, va(OFF_BUF), 16, &n);
}

static nc_sys_err_t process_list_run(state_t *s)
{
	(void)s;
	uint64_t n;
	return sys_process_list(va(OFF_BUF), 8, &n);
}

/* --- files and console --- */

static nc_sys_err_t open_file_run(state_t *s)
{
	put(OFF_STR, "/hello.txt", 10);
	return sys_fs_open(va(OFF_STR), 10, 0, &s->v[0]);
}

static nc_sys_err_t open_dir_run(state_t *s)
{
	put(OFF_STR, "/etc", 4);
	return sys_fs_open(va(OFF_STR), 4, NC_SYS_OPEN_DIR, &s->v[0]);
}

static nc_sys_err_t read_console_run(state_t *s)
{
	(void)s;
	uint64_t n;
	return sys_fd_read(console(), va(OFF_BUF), 64, 0, &n);
}

static nc_sys_err_t write_console_run(state_t *s)
{
	(void)s;
	static const char line[] = "# nomem: FdWrite reached the console\n";
	uint64_t n;
	put(OFF_BUF, line, sizeof line - 1);
	return sys_fd_write(console(), va(OFF_BUF), sizeof line - 1, &n);
}

/* --- capabilities --- */

/* CapAttenuate of the fs root to fs.read on /etc. */
static nc_sys_err_t attenuate_fs(uint64_t rights, uint64_t lifetime_ns, uint64_t *h_out)
{
	put(OFF_STR, "fs.read/etc", 11);
	nc_sys_cap_spec_t spec = { va(OFF_STR), 7, va(OFF_STR + 7), 4, rights, lifetime_ns };
	put(OFF_SPEC, &spec, sizeof spec);
	return sys_cap_attenuate(fs_root(), va(OFF_SPEC), h_out);
}

static nc_sys_err_t attenuate_run(state_t *s)
{
	return attenuate_fs(NC_SYS_RIGHT_READ | NC_SYS_RIGHT_DUPLICATE, 0, &s->v[0]);
}

/* Exported tokens come from a capability derived for the purpose, living
 * TOKEN_LIFE_NS: an export pins its source capability in the kernel's
 * token-id table until the token expires (kernel/cap_token.c), and revoking
 * the source lets go of it at once, so nothing stays behind; the slots free
 * themselves soon for the later tests' tokens. */
#define TOKEN_LIFE_NS 3000000000ull

static void source_prepare(state_t *s)
{
	attenuate_fs(NC_SYS_RIGHTS_ALL, TOKEN_LIFE_NS, &s->v[2]);
}

static void export_finish(state_t *s, nc_sys_err_t err)
{
	(void)err;
	sys_cap_revoke(s->v[2]);
	close_handle(s->v[2]);
}

static nc_sys_err_t export_run(state_t *s)
{
	return sys_cap_export(s->v[2], va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static void validate_prepare(state_t *s)
{
	source_prepare(s);
	sys_cap_export(s->v[2], va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static nc_sys_err_t validate_run(state_t *s)
{
	return sys_cap_validate(va(OFF_BUF), s->v[1], &s->v[0]);
}

static void validate_finish(state_t *s, nc_sys_err_t err)
{
	close_v0_finish(s, err);
	export_finish(s, err);
}

static nc_sys_err_t root_table_run(state_t *s)
{
	handle_table_t *ht = cap_root_table();
	s->v[0] = (uint64_t)ht;
	return ht ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY;
}

static void root_table_finish(state_t *s, nc_sys_err_t err)
{
	(void)err;
	handle_table_destroy((handle_table_t *)s->v[0]);
}

/* --- memory --- */

static const uint64_t rw = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE;

static nc_sys_err_t map_run(state_t *s)
{
	return sys_mem_map(0, MAP_PAGES * VM_PAGE_BYTES, rw, &s->v[0]);
}

static void unmap_finish(state_t *s, nc_sys_err_t err)
{
	if (!err)
		sys_mem_unmap(s->v[0], MAP_PAGES * VM_PAGE_BYTES);
}

static void replace_prepare(state_t *s)
{
	sys_mem_map(0, MAP_PAGES * VM_PAGE_BYTES, rw, &s->v[1]);
	copy_to_user(s->v[1] + 8, "x", 1);
}

static nc_sys_err_t replace_run(state_t *s)
{
	return sys_mem_map(s->v[1], MAP_PAGES * VM_PAGE_BYTES, rw, &s->v[0]);
}

/* Replacing is all or nothing: after a failure the old page is still
 * there, after a success a fresh zeroed one. */
static void replace_finish(state_t *s, nc_sys_err_t err)
{
	char seen = '?';
	copy_from_user(&seen, s->v[1] + 8, 1);
	sys_mem_unmap(s->v[1], MAP_PAGES * VM_PAGE_BYTES);
	NC_CHECK_EQ(seen, err ? 'x' : 0);
}

static nc_sys_err_t map_fresh_run(state_t *s)
{
	return sys_mem_map(FRESH_VA(s->mode), MAP_PAGES * VM_PAGE_BYTES, rw, &s->v[0]);
}

/* After a failure no page of the range is mapped. */
static void map_fresh_finish(state_t *s, nc_sys_err_t err)
{
	unmap_finish(s, err);
	for (uint64_t i = 0; err && i < MAP_PAGES; i++)
		NC_CHECK_EQ(vspace_lookup(thread_current()->proc->vs, FRESH_VA(s->mode) + i * VM_PAGE_BYTES, NULL), 0);
}

/* --- shared memory --- */

/* Fixed ShmMap addresses: fresh 512 GiB regions again, apart from FRESH_VA's. */
#define SHM_FRESH_VA(mode) (0x600000000000ull + (uint64_t)(mode) * (512ull << 30))

static nc_sys_err_t shm_create_run(state_t *s)
{
	return sys_shm_create(MAP_PAGES * VM_PAGE_BYTES, &s->v[0]);
}

static void shm_prepare(state_t *s)
{
	sys_shm_create(MAP_PAGES * VM_PAGE_BYTES, &s->v[1]);
}

static nc_sys_err_t shm_map_run(state_t *s)
{
	return sys_shm_map(s->v[1], SHM_FRESH_VA(s->mode), 0, MAP_PAGES * VM_PAGE_BYTES, rw, &s->v[0]);
}

/* After a failure no page of the range is mapped; after a success the pages
 * are the object's, and the object outlives its handle while mapped. */
static void shm_map_finish(state_t *s, nc_sys_err_t err)
{
	vspace_t *vs = thread_current()->proc->vs;
	close_handle(s->v[1]);
	for (uint64_t i = 0; i < MAP_PAGES; i++) {
		unsigned flags = 0;
		bool mapped = vspace_lookup(vs, SHM_FRESH_VA(s->mode) + i * VM_PAGE_BYTES, &flags) != 0;
		NC_CHECK_EQ(mapped, !err);
		NC_CHECK_EQ(flags & VM_FOREIGN, err ? 0u : (unsigned)VM_FOREIGN);
	}
	unmap_finish(s, err);
}

/* --- the display --- */

static nc_sys_err_t display_run(state_t *s)
{
	return sys_display_map(va(OFF_OUT), &s->v[0]);
}

/* A success made the test process the display's holder: unmap the
 * framebuffer and let it go as the process's end would. */
static void display_finish(state_t *s, nc_sys_err_t err)
{
	if (err)
		return;
	uint64_t offset = s->v[0] % VM_PAGE_BYTES;
	NC_CHECK_EQ(sys_mem_unmap(s->v[0] - offset, offset + get_u64(OFF_OUT + offsetof(nc_sys_display_mode_t, size_bytes))),
		    NC_SYS_OK);
	display_process_ended(thread_current()->proc);
}

/* --- threads and processes --- */

static nc_sys_err_t task_run(state_t *s)
{
	return sys_task_create(TPROC_CODE, va(OFF_BUF + BUF_BYTES), 0, &s->v[0]);
}

static void task_finish(state_t *s, nc_sys_err_t err)
{
	if (err)
		return;
	uint64_t code = 1;
	NC_CHECK_EQ(sys_task_join(s->v[0], &code), NC_SYS_OK);
	NC_CHECK_EQ(code, 0);
}

/* The child is init with an argument that names no manifest: without
 * handles it cannot even say so, and exits with 1. */
static nc_sys_err_t spawn(uint64_t n_handles)
{
	static const char arg[] = "nomem-test-no-manifest";
	uint64_t h = console();
	put(OFF_STR, "init", 4);
	put(OFF_STR + 8, arg, sizeof arg - 1);
	put(OFF_HANDLES, &h, sizeof h);
	uint64_t pid;
	nc_sys_err_t err = sys_process_spawn(va(OFF_STR), 4, va(OFF_STR + 8), sizeof arg - 1,
					     va(OFF_HANDLES), n_handles, &pid);
	put(OFF_OUT, &pid, sizeof pid);
	return err;
}

static nc_sys_err_t spawn_run(state_t *s) { (void)s; return spawn(0); }
static nc_sys_err_t spawn_handles_run(state_t *s) { (void)s; return spawn(1); }
static nc_sys_err_t spawn_inherit_run(state_t *s) { (void)s; return spawn(NC_SYS_SPAWN_INHERIT); }

static void spawn_finish(state_t *s, nc_sys_err_t err)
{
	(void)s;
	if (err)
		return;
	uint32_t reaped;
	uint64_t status;
	uint64_t pid = get_u64(OFF_OUT);
	NC_CHECK_EQ(process_wait(thread_current()->proc, (uint32_t)pid, &reaped, &status), NC_SYS_OK);
	NC_CHECK_EQ(reaped, pid);
	NC_CHECK_EQ(status, 1);
}

/* The Tee* calls on the test image's development device (kernel/sys_tee.c):
 * each copies its inputs into heap buffers first. */
static nc_sys_err_t tee_attest_run(state_t *s)
{
	return sys_tee_attest(va(OFF_MSG), va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static void tee_quote_prepare(state_t *s)
{
	sys_tee_attest(va(OFF_MSG), va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static nc_sys_err_t tee_verify_run(state_t *s)
{
	return sys_tee_verify_quote(va(OFF_BUF), s->v[1]);
}

static nc_sys_err_t tee_seal_run(state_t *s)
{
	return sys_tee_seal(va(OFF_MSG), MSG_BYTES, va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static void tee_sealed_prepare(state_t *s)
{
	sys_tee_seal(va(OFF_MSG), MSG_BYTES, va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

static nc_sys_err_t tee_unseal_run(state_t *s)
{
	return sys_tee_unseal(va(OFF_BUF), s->v[1], va(OFF_MSG), MSG_BYTES, &s->v[0]);
}

static nc_sys_err_t tee_log_run(state_t *s)
{
	return sys_tee_measurement_log(va(OFF_BUF), BUF_BYTES, &s->v[1]);
}

/* --- block devices and PCI --- */

/* A block device "nomem" served on endpoint v[0] (it moves to the kernel);
 * v[1] is the driver's end, where connections would arrive. */
static void blk_prepare(state_t *s)
{
	chan_prepare(s);
	nc_sys_blk_info_t info = { "nomem", 512, 8, 0, 0 };
	put(OFF_SPEC, &info, sizeof info);
}

static void blk_registered_prepare(state_t *s)
{
	blk_prepare(s);
	sys_blk_register_device(va(OFF_SPEC), s->v[0]);
}

static nc_sys_err_t blk_register_run(state_t *s)
{
	return sys_blk_register_device(va(OFF_SPEC), s->v[0]);
}

/* The driver goes (its end closes) and the lookup that finds it gone drops
 * the entry, with the endpoint the kernel held. */
static void blk_gone(state_t *s)
{
	close_handle(s->v[1]);
	put(OFF_STR, "nomem", 5);
	uint64_t h;
	NC_CHECK_EQ(sys_blk_lookup(va(OFF_STR), 5, &h), NC_SYS_ERR_NOT_FOUND);
}

/* A failed registration leaves the endpoint with the caller. */
static void blk_register_finish(state_t *s, nc_sys_err_t err)
{
	NC_CHECK_EQ(handle_close(handle_table_current(), s->v[0]), err ? NC_SYS_OK : NC_SYS_ERR_BAD_HANDLE);
	blk_gone(s);
}

static nc_sys_err_t blk_lookup_run(state_t *s)
{
	put(OFF_STR, "nomem", 5);
	return sys_blk_lookup(va(OFF_STR), 5, &s->v[2]);
}

/* A success gave the client an endpoint and queued a connect message for
 * the driver (kind 1, writable: the root capability covers blk.write; the
 * client's pid; the driver's end of the new channel), received here as the
 * driver would. */
static void blk_lookup_finish(state_t *s, nc_sys_err_t err)
{
	if (!err) {
		uint64_t sizes;
		NC_CHECK_EQ(sys_ipc_receive(s->v[1], va(OFF_BUF), NC_SYS_IPC_MSG_MAX_BYTES, va(OFF_HANDLES), 1, 0, &sizes),
			    NC_SYS_OK);
		NC_CHECK_EQ(sizes, 1ull << 32 | 16);
		NC_CHECK_EQ(get_u64(OFF_BUF), 1ull << 32 | 1);
		NC_CHECK_EQ(get_u64(OFF_BUF + 8), (uint64_t)thread_current()->proc->pid);
		close_handle(get_u64(OFF_HANDLES));
		close_handle(s->v[2]);
	}
	blk_gone(s);
}

static nc_sys_err_t blk_list_run(state_t *s)
{
	return sys_blk_list(va(OFF_BUF), 4, &s->v[2]);
}

static void blk_list_finish(state_t *s, nc_sys_err_t err)
{
	if (!err)
		NC_CHECK(s->v[2] >= 1);
	blk_gone(s);
}

static nc_sys_err_t pci_list_run(state_t *s)
{
	return sys_pci_device_list(va(OFF_BUF), 8, &s->v[0]);
}

/* DriverLoad of a package signed with the build's key (badelf.tpkg,
 * tests/user/drivers) for an NVMe controller, which the test machine lacks:
 * the package is copied in and verified (signature, manifest, image hash)
 * before the device search finds nothing. */
static void pkg_prepare(state_t *s)
{
	put(OFF_STR, "badelf.tpkg", 11);
	NC_CHECK_EQ(sys_initrd_read(va(OFF_STR), 11, va(OFF_BUF), BUF_BYTES, 0, &s->v[2]), NC_SYS_OK);
	NC_CHECK(s->v[2] > 0 && s->v[2] < BUF_BYTES);
}

static nc_sys_err_t driver_load_run(state_t *s)
{
	return sys_driver_load(va(OFF_BUF), s->v[2], &s->v[0]);
}

static const op_t ops[] = {
	{ "ipc.create_channel", NC_SYS_OK, NULL, create_run, create_finish },
	{ "ipc.send", NC_SYS_OK, chan_prepare, send_run, chan_finish },
	{ "ipc.send_with_handle", NC_SYS_OK, send_handle_prepare, send_handle_run, send_handle_finish },
	{ "ipc.call", NC_SYS_ERR_TIMED_OUT, chan_prepare, call_run, chan_finish },
	{ "ipc.reply_receive", NC_SYS_ERR_TIMED_OUT, chan_prepare, reply_receive_run, chan_finish },
	{ "ipc.receive", NC_SYS_OK, receive_prepare, receive_run, chan_finish },
	{ "ipc.call_short", NC_SYS_ERR_TOO_SMALL, long_answer_prepare, call_short_run, chan_finish },
	{ "ipc.reply_receive_short", NC_SYS_ERR_TOO_SMALL, long_answer_prepare, reply_receive_short_run, chan_finish },
	{ "handle.duplicate", NC_SYS_OK, NULL, duplicate_run, close_v0_finish },
	{ "handle.list", NC_SYS_OK, NULL, handle_list_run, NULL },
	{ "process.list", NC_SYS_OK, NULL, process_list_run, NULL },
	{ "fs.open_file", NC_SYS_OK, NULL, open_file_run, close_v0_finish },
	{ "fs.open_dir", NC_SYS_OK, NULL, open_dir_run, close_v0_finish },
	{ "fd.read_console", NC_SYS_ERR_TIMED_OUT, NULL, read_console_run, NULL },
	{ "fd.write_console", NC_SYS_OK, NULL, write_console_run, NULL },
	{ "cap.attenuate", NC_SYS_OK, NULL, attenuate_run, close_v0_finish },
	{ "cap.export", NC_SYS_OK, source_prepare, export_run, export_finish },
	{ "cap.validate", NC_SYS_OK, validate_prepare, validate_run, validate_finish },
	{ "cap.root_table", NC_SYS_OK, NULL, root_table_run, root_table_finish },
	{ "mem.map", NC_SYS_OK, NULL, map_run, unmap_finish },
	{ "mem.map_replace", NC_SYS_OK, replace_prepare, replace_run, replace_finish },
	{ "mem.map_fixed_fresh", NC_SYS_OK, NULL, map_fresh_run, map_fresh_finish },
	{ "shm.create", NC_SYS_OK, NULL, shm_create_run, close_v0_finish },
	{ "shm.map_fixed_fresh", NC_SYS_OK, shm_prepare, shm_map_run, shm_map_finish },
	{ "display.map", NC_SYS_OK, NULL, display_run, display_finish },
	{ "task.create", NC_SYS_OK, NULL, task_run, task_finish },
	{ "process.spawn", NC_SYS_OK, NULL, spawn_run, spawn_finish },
	{ "process.spawn_handles", NC_SYS_OK, NULL, spawn_handles_run, spawn_finish },
	{ "process.spawn_inherit", NC_SYS_OK, NULL, spawn_inherit_run, spawn_finish },
	{ "tee.attest", NC_SYS_OK, NULL, tee_attest_run, NULL },
	{ "tee.verify_quote", NC_SYS_OK, tee_quote_prepare, tee_verify_run, NULL },
	{ "tee.seal", NC_SYS_OK, NULL, tee_seal_run, NULL },
	{ "tee.unseal", NC_SYS_OK, tee_sealed_prepare, tee_unseal_run, NULL },
	{ "tee.measurement_log", NC_SYS_OK, NULL, tee_log_run, NULL },
	{ "blk.register_device", NC_SYS_OK, blk_prepare, blk_register_run, blk_register_finish },
	{ "blk.lookup", NC_SYS_OK, blk_registered_prepare, blk_lookup_run, blk_lookup_finish },
	{ "blk.list", NC_SYS_OK, blk_registered_prepare, blk_list_run, blk_list_finish },
	{ "pci.device_list", NC_SYS_OK, NULL, pci_list_run, NULL },
	{ "driver.load_no_device", NC_SYS_ERR_NO_DEVICE, pkg_prepare, driver_load_run, NULL },
};

/* What a run left behind: the heap blocks and frames the running thread
 * allocated during it (prepare, the call, finish) and still held after
 * (alloc_track_start), the page tables the process's address space gained
 * (a failed call may leave them; they go with the process, as they would for
 * a user process), and the change in the references held on the objects of
 * the process's handles (a leaked reference keeps an object alive after its
 * last handle closes). Tracking, unlike the global heap and frame counts,
 * does not see other memory freed meanwhile (expired token slots let go of
 * their capabilities whenever a later export sweeps them). */
typedef struct {
	alloc_track_t held;
	int64_t tables, refs;
} left_t;

static uint64_t handle_refs(void)
{
	handle_table_t *ht = handle_table_current();
	uint64_t n = 0, f = spin_lock(&ht->lock);
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++) {
		const handle_slot_t *s = &ht->slot[i];
		if (s->obj)
			n += __atomic_load_n(&s->obj->refs, __ATOMIC_RELAXED);
		if (s->origin)
			n += __atomic_load_n(&s->origin->obj.refs, __ATOMIC_RELAXED);
	}
	spin_unlock(&ht->lock, f);
	return n;
}

static bool clean(const left_t *l)
{
	return !l->held.overflow && l->held.blocks == 0 && l->held.frames == (uint64_t)l->tables &&
	       l->refs == 0;
}

/* One run of op with allocation k failing (k = UINT64_MAX: none). */
static nc_sys_err_t run_once(const op_t *op, int mode, uint64_t k, alloc_fail_report_t *rep, left_t *left)
{
	state_t s = { mode, { 0, 0, 0, 0 } };
	vspace_t *vs = thread_current()->proc->vs;
	uint64_t tables = vs->n_frames, refs = handle_refs();
	alloc_track_start();
	if (op->prepare)
		op->prepare(&s);
	alloc_fail_arm(k, mode == MODE_EVERY);
	nc_sys_err_t err = op->run(&s);
	*rep = alloc_fail_disarm();
	if (op->finish)
		op->finish(&s, err);
	left->held = alloc_track_stop();
	left->tables = (int64_t)(vs->n_frames - tables);
	left->refs = (int64_t)(handle_refs() - refs);
	return err;
}

static const char *const mode_name[2] = { "alone", "and every later one" };

/* k = 0, 1, ... until nothing fails; returns the allocations op made. */
static uint64_t fail_each(const op_t *op, int mode)
{
	for (uint64_t k = 0; k < MAX_ALLOCS; k++) {
		alloc_fail_report_t rep;
		left_t left;
		nc_sys_err_t err = run_once(op, mode, k, &rep, &left);
		bool failed = rep.failed != 0;
		if ((failed ? err != NC_SYS_ERR_NO_MEMORY : err != op->want) || !clean(&left)) {
			nc_test_note("nomem: %s, allocation %llu failing (%s): %s; left %llu heap blocks, "
				     "%llu frames (%lld of them page tables), %lld references%s", op->name,
				     (unsigned long long)k, mode_name[mode], nc_sys_err_name(err),
				     (unsigned long long)left.held.blocks, (unsigned long long)left.held.frames,
				     (long long)left.tables, (long long)left.refs,
				     left.held.overflow ? " (tracking overflowed)" : "");
			nc_test_fail(__FILE__, __LINE__, "a failed allocation is handled cleanly", op->name);
			return 0;
		}
		if (!failed)
			return rep.seen;
	}
	nc_test_fail(__FILE__, __LINE__, "the call succeeds within MAX_ALLOCS", op->name);
	return 0;
}

/* One call: a first run warms up what is made once and kept (kernel-stack
 * page tables, the thread's spare IPC buffer) and checks the result when
 * nothing fails, then both passes of fail_each. Runs on a thread of its own,
 * so what one call leaves with its thread cannot change the next. */
static void one_op(void *ctx)
{
	const op_t *op = ctx;
	alloc_fail_report_t rep;
	left_t left;
	nc_sys_err_t err = run_once(op, MODE_WARM_UP, UINT64_MAX, &rep, &left);
	if (err != op->want) {
		nc_test_note("nomem: %s gives %s without failures", op->name, nc_sys_err_name(err));
		nc_test_fail(__FILE__, __LINE__, "the call's result without failures", op->name);
		return;
	}
	uint64_t n = fail_each(op, MODE_ALONE);
	uint64_t n_every = fail_each(op, MODE_EVERY);
	nc_test_note("nomem: %s: %llu allocations (%llu in the second pass)", op->name,
		     (unsigned long long)n, (unsigned long long)n_every);
}

NC_TEST(nomem, every_allocation_of_each_call_fails_cleanly)
{
	uint64_t heap0 = heap_stats().bytes_in_use;
	process_t *p = tproc_create();
	NC_CHECK(p != NULL);
	bool ran = true;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0] && ran; i++)
		ran = tproc_run(p, one_op, (void *)&ops[i]);
	tproc_destroy(p);
	NC_CHECK(ran);
	/* the warm-up runs too left nothing (only other memory may have gone) */
	NC_CHECK(heap_stats().bytes_in_use <= heap0);
}

/* --- memory really gone --- */

typedef struct taken {
	struct taken *next;
	uint64_t n_frames;
} taken_t;

/* Take every free frame, in runs as long as they come (each run's first
 * frame links the list). */
static taken_t *take_all_frames(void)
{
	taken_t *list = NULL;
	for (size_t n = 512; n; n /= 2) {
		uint64_t phys;
		while ((phys = pmm_alloc_contig(n)) != 0) {
			taken_t *t = vm_phys_to_virt(phys);
			t->next = list;
			t->n_frames = n;
			list = t;
		}
	}
	return list;
}

static void give_back(taken_t *list)
{
	while (list) {
		taken_t *next = list->next;
		pmm_free_contig(vm_virt_to_phys(list), list->n_frames);
		list = next;
	}
}

static const op_t *op_named(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (nc_str_compare(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

/* With no free frame at all (the real allocators run dry, no injection):
 * the heap cannot grow (a 2048-byte block needs a slab of its own, a large
 * block contiguous frames), and the calls that need frames fail with
 * NO_MEMORY and change nothing. Everything is given back before checking,
 * so a failed check cannot leave the kernel without memory. */
static void exhausted(void *ctx)
{
	static const char *const need_frames[] = { "task.create", "mem.map", "mem.map_fixed_fresh",
						   "process.spawn" };
	uint64_t *bad = ctx;
	taken_t *taken = take_all_frames();
	uint64_t frames_left = pmm_stats().free_frames;
	void *slab_block = heap_alloc(2048), *large_block = heap_alloc(5000);
	for (size_t i = 0; i < sizeof need_frames / sizeof need_frames[0]; i++) {
		const op_t *op = op_named(need_frames[i]);
		alloc_fail_report_t rep;
		left_t left;
		nc_sys_err_t err = run_once(op, MODE_ALONE, UINT64_MAX, &rep, &left);
		if (err != NC_SYS_ERR_NO_MEMORY || rep.failed || !clean(&left)) {
			nc_test_note("nomem: %s without free frames: %s", op->name, nc_sys_err_name(err));
			*bad |= 1ull << i;
		}
	}
	give_back(taken);
	if (frames_left || slab_block || large_block) {
		nc_test_note("nomem: %llu frames left, heap blocks %p %p", (unsigned long long)frames_left, slab_block,
			     large_block);
		*bad |= 1ull << 63;
	}
	heap_free(slab_block);
	heap_free(large_block);
}

static void nothing(void *ctx) { (void)ctx; }

NC_TEST(nomem, calls_fail_cleanly_without_free_frames)
{
	process_t *p = tproc_create();
	NC_CHECK(p != NULL);
	/* a first thread makes the kernel-stack page tables (kept for good) when
	 * no thread has needed them yet, as in a 1-CPU boot */
	bool ran = tproc_run(p, nothing, NULL);
	heap_stats_t h0 = heap_stats();
	uint64_t free0 = pmm_stats().free_frames, bad = 0;
	ran = ran && tproc_run(p, exhausted, &bad);
	heap_stats_t h1 = heap_stats();
	uint64_t free1 = pmm_stats().free_frames;
	tproc_destroy(p);
	NC_CHECK(ran);
	NC_CHECK_EQ(bad, 0);
	NC_CHECK_EQ(h1.bytes_in_use, h0.bytes_in_use);
	NC_CHECK_EQ(free1, free0);
}

/* A contiguous request must not fail while a long enough run exists: with
 * every frame taken, free frames are laid out so that the only run of 100
 * starts in the middle of a 64-frame bitmap word, after a taken frame (word
 * W: frame 0 free, 1 taken, 2..63 free; W+1 free; W+2: 0..19 free). No
 * check runs before every frame is given back. */
NC_TEST(nomem, contiguous_run_starting_mid_word_is_found)
{
	uint64_t free0 = pmm_stats().free_frames, got = 0, want = 0;
	taken_t *taken = take_all_frames(), *run = taken;
	while (run && run->n_frames < 512)
		run = run->next;
	if (run) {
		/* W: the first whole bitmap word after the run's first frame (whose
		 * page holds the list link) */
		uint64_t w = vm_virt_to_phys(run) / PMM_FRAME_BYTES / 64 + 1;
		want = (w * 64 + 2) * PMM_FRAME_BYTES;
		pmm_free_frame(w * 64 * PMM_FRAME_BYTES);
		pmm_free_contig(want, 62 + 64 + 20);
		got = pmm_alloc_contig(100);
		/* take the rest of the pattern back: the run is whole for give_back */
		while (pmm_alloc_frame())
			;
	}
	give_back(taken);
	NC_CHECK(want != 0);
	NC_CHECK_EQ(got, want);
	NC_CHECK_EQ(pmm_stats().free_frames, free0);
}

/* The injection itself: the counting and both modes, on plain heap blocks. */
NC_TEST(nomem, injection_fails_the_chosen_allocations)
{
	void *a, *b, *c;
	alloc_fail_arm(1, false);
	a = heap_alloc(32);
	b = heap_alloc(32);
	c = heap_alloc(32);
	alloc_fail_report_t r = alloc_fail_disarm();
	NC_CHECK(a && !b && c);
	NC_CHECK_EQ(r.seen, 3);
	NC_CHECK_EQ(r.failed, 1);
	heap_free(a);
	heap_free(c);
	alloc_fail_arm(1, true);
	a = heap_alloc(5000);
	b = heap_alloc(16);
	uint64_t f = pmm_alloc_frame();
	r = alloc_fail_disarm();
	NC_CHECK(a && !b && !f);
	NC_CHECK_EQ(r.seen, 3);
	NC_CHECK_EQ(r.failed, 2);
	heap_free(a);
	b = heap_alloc(16);
	NC_CHECK(b != NULL);
	heap_free(b);
}

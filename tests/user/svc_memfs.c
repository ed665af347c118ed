/* A small in-memory file system served through service routing, for
 * service_tests.c: a child process (handle 1: service.register for
 * "fs:/svct") registers as the SERVICE_FS service for /svct and answers
 * forwarded calls until it is killed. Flat storage: each node is a full
 * relative path ("/d/x"); a directory lists the nodes one level below it.
 *
 * Some names make it misbehave on purpose, so the tests can check what the
 * kernel does with a faulty service: opening /hold keeps the request
 * unanswered until /release is opened; /exit ends the service with requests
 * pending; /badstatus answers with an out-of-range status (the kernel refuses
 * it: INVALID) and then with one FsOpen does not list; /badtype opens an object
 * of the wrong type; reading /toolong first answers more data than asked.
 * /stats is a file whose text counts the notices and refused replies, and
 * /held exists while an open of /hold waits.
 *
 * FdReadBulk and FdWriteBulk go through the request's window; after each
 * answer the service checks the window's address is no longer mapped (a
 * fixed ShmMap there succeeds: counted as unmapped=N in /stats), and that an
 * FdWriteBulk window's last page holds nothing past window_len (zeros=N).
 * An FdReadBulk of /bulkdie fills the window and ends the service unanswered;
 * one of /bulklong answers a result longer than the window. */
#include "ut_sys.h"

enum { NODES = 16, NODE_BYTES = 8192, OPEN_MAX = 32, NAME_MAX_BYTES = 64 };

typedef struct {
	bool used, dir;
	char name[NAME_MAX_BYTES];
	uint8_t data[NODE_BYTES];
	uint64_t size;
} node_t;

typedef struct {
	bool used, append;
	int node;
	uint64_t pos;
} open_t;

static node_t nodes[NODES];
static open_t opens[OPEN_MAX];
static nc_service_msg_t msg;
static uint64_t port, held_id;
static uint64_t n_close, n_cancel, n_invalid, n_cancelled, n_unmapped, n_zeros;

static bool name_is(const node_t *n, const uint8_t *p, size_t len)
{
	return n->used && nc_str_len(n->name) == len && nc_mem_compare(n->name, p, len) == 0;
}

static int find(const uint8_t *p, size_t len)
{
	for (int i = 0; i < NODES; i++)
		if (name_is(&nodes[i], p, len))
			return i;
	return -1;
}

static bool is_root(const uint8_t *p, size_t len)
{
	return len == 1 && p[0] == '/';
}

/* The parent of p exists as a directory (the root included). */
static bool parent_ok(const uint8_t *p, size_t len)
{
	size_t cut = len;
	while (cut > 0 && p[cut - 1] != '/')
		cut--;
	if (cut <= 1)
		return true;
	int d = find(p, cut - 1);
	return d >= 0 && nodes[d].dir;
}

static int create(const uint8_t *p, size_t len, bool dir)
{
	for (int i = 0; i < NODES; i++) {
		if (!nodes[i].used) {
			nc_mem_set(&nodes[i], 0, sizeof nodes[i]);
			nodes[i].used = true;
			nodes[i].dir = dir;
			nc_mem_copy(nodes[i].name, p, len);
			return i;
		}
	}
	return -1;
}

/* The k-th node directly below directory dir (len bytes; "/" the root). */
static int child_at(const uint8_t *dir, size_t len, uint64_t k)
{
	size_t base = is_root(dir, len) ? 0 : len;
	for (int i = 0; i < NODES; i++) {
		const char *n = nodes[i].name;
		size_t nl = nc_str_len(n);
		if (!nodes[i].used || nl <= base + 1 || nc_mem_compare(n, dir, base) || n[base] != '/')
			continue;
		bool direct = true;
		for (size_t j = base + 1; j < nl; j++)
			direct &= n[j] != '/';
		if (direct && k-- == 0)
			return i;
	}
	return -1;
}

static void answer(nc_sys_err_t status, uint64_t result, const void *data, size_t len)
{
	nc_service_answer(port, msg.hdr.id, status, result, data, len);
}

static void stat_node(int i, nc_sys_stat_full_t *st)
{
	nc_mem_set(st, 0, sizeof *st);
	st->type = i < 0 || nodes[i].dir ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE;
	st->size_bytes = i < 0 ? 0 : nodes[i].size;
	st->n_links = 1;
	st->inode = (uint64_t)(i + 2);
	st->mode = 0644;
}

static void write_stats(void)
{
	int i = find((const uint8_t *)"/stats", 6);
	if (i < 0)
		i = create((const uint8_t *)"/stats", 6, false);
	nodes[i].size = nc_fmt_format((char *)nodes[i].data, NODE_BYTES,
				      "close=%llu cancel=%llu invalid=%llu cancelled=%llu unmapped=%llu zeros=%llu",
				      (unsigned long long)n_close, (unsigned long long)n_cancel,
				      (unsigned long long)n_invalid, (unsigned long long)n_cancelled,
				      (unsigned long long)n_unmapped, (unsigned long long)n_zeros);
}

static void misbehave_open(const uint8_t *p, size_t len)
{
	if (len == 10 && nc_mem_compare(p, "/badstatus", 10) == 0) {
		if (nc_service_answer(port, msg.hdr.id, (nc_sys_err_t)999, 0, NULL, 0) == NC_SYS_ERR_INVALID)
			n_invalid++;
		answer(NC_SYS_ERR_TOO_SMALL, 0, NULL, 0); /* not an error FsOpen lists */
	} else if (len == 8 && nc_mem_compare(p, "/badtype", 8) == 0) {
		nc_service_answer_object(port, msg.hdr.id, 77, NC_SYS_HANDLE_SOCKET, NC_SYS_RIGHTS_ALL);
	} else if (len == 5 && nc_mem_compare(p, "/hold", 5) == 0) {
		held_id = msg.hdr.id;
	} else if (len == 8 && nc_mem_compare(p, "/release", 8) == 0) {
		if (nc_service_answer_object(port, held_id, 99, NC_SYS_HANDLE_FILE, NC_SYS_RIGHTS_ALL) ==
		    NC_SYS_ERR_CANCELLED)
			n_cancelled++;
		held_id = 0;
		answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
	}
}

static bool is_special(const uint8_t *p, size_t len)
{
	static const char *const names[] = { "/badstatus", "/badtype", "/hold", "/release" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (nc_str_len(names[i]) == len && nc_mem_compare(names[i], p, len) == 0)
			return true;
	return false;
}

static void do_open(const uint8_t *p, size_t len, uint64_t flags)
{
	if (is_special(p, len)) {
		misbehave_open(p, len);
		return;
	}
	if (len == 5 && nc_mem_compare(p, "/exit", 5) == 0)
		nc_sys_exit(0); /* with this request unanswered */
	if (len == 6 && nc_mem_compare(p, "/stats", 6) == 0)
		write_stats();
	int i = is_root(p, len) ? -1 : find(p, len);
	bool want_dir = flags & NC_SYS_OPEN_DIR;
	if (i >= 0 && (flags & NC_SYS_OPEN_EXCLUSIVE))
		return answer(NC_SYS_ERR_EXISTS, 0, NULL, 0);
	if (i < 0 && !is_root(p, len)) {
		if (!(flags & NC_SYS_OPEN_CREATE))
			return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
		if (!parent_ok(p, len) || len >= NAME_MAX_BYTES)
			return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
		if ((i = create(p, len, false)) < 0)
			return answer(NC_SYS_ERR_NO_SPACE, 0, NULL, 0);
	}
	bool dir = i < 0 || nodes[i].dir;
	if (dir != want_dir)
		return answer(NC_SYS_ERR_WRONG_TYPE, 0, NULL, 0);
	if (i >= 0 && (flags & NC_SYS_OPEN_TRUNCATE))
		nodes[i].size = 0;
	for (int o = 0; o < OPEN_MAX; o++) {
		if (!opens[o].used) {
			opens[o] = (open_t){ true, (flags & NC_SYS_OPEN_APPEND) != 0, i, 0 };
			nc_service_answer_object(port, msg.hdr.id, (uint64_t)o + 1,
						 dir ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE, NC_SYS_RIGHTS_ALL);
			return;
		}
	}
	answer(NC_SYS_ERR_LIMIT, 0, NULL, 0);
}

static open_t *object(void)
{
	uint64_t o = msg.hdr.object;
	return o >= 1 && o <= OPEN_MAX && opens[o - 1].used ? &opens[o - 1] : NULL;
}

static void do_read(open_t *f)
{
	node_t *n = &nodes[f->node];
	if (nc_str_compare(n->name, "/toolong") == 0 && f->pos == 0 &&
	    nc_service_answer(port, msg.hdr.id, NC_SYS_OK, msg.hdr.out_max + 1, n->data, msg.hdr.out_max + 1) ==
		    NC_SYS_ERR_INVALID)
		n_invalid++;
	uint64_t k = f->pos >= n->size ? 0 : n->size - f->pos;
	k = k < msg.hdr.arg0 ? k : msg.hdr.arg0;
	answer(NC_SYS_OK, k, n->data + f->pos, k);
	f->pos += k;
}

/* Count the window at va as gone when a page can be mapped there now. */
static void check_unmapped(uint64_t va)
{
	uint64_t shm, at;
	if (nc_sys_shm_create(4096, &shm))
		return;
	if (nc_sys_shm_map(shm, va, 0, 4096, NC_SYS_PROT_READ, &at) == NC_SYS_OK) {
		n_unmapped++;
		nc_sys_mem_unmap(at, 4096);
	}
	nc_sys_handle_close(shm);
}

static void do_read_bulk(open_t *f)
{
	node_t *n = &nodes[f->node];
	uint8_t *w = (uint8_t *)(uintptr_t)msg.hdr.window;
	uint64_t k = f->pos >= n->size ? 0 : n->size - f->pos;
	k = k < msg.hdr.arg0 ? k : msg.hdr.arg0;
	k = k < msg.hdr.window_len ? k : msg.hdr.window_len;
	nc_mem_copy(w, n->data + f->pos, k);
	if (nc_str_compare(n->name, "/bulkdie") == 0)
		nc_sys_exit(0); /* with the window filled, unanswered */
	bool too_long = nc_str_compare(n->name, "/bulklong") == 0;
	f->pos += too_long ? 0 : k;
	answer(NC_SYS_OK, too_long ? msg.hdr.window_len + 1 : k, NULL, 0);
	check_unmapped(msg.hdr.window);
}

static void do_write(open_t *f, const uint8_t *data, uint64_t k)
{
	node_t *n = &nodes[f->node];
	uint64_t at = f->append ? n->size : f->pos;
	if (at >= NODE_BYTES)
		return answer(NC_SYS_ERR_NO_SPACE, 0, NULL, 0);
	k = k < NODE_BYTES - at ? k : NODE_BYTES - at;
	if (at > n->size)
		nc_mem_set(n->data + n->size, 0, at - n->size);
	nc_mem_copy(n->data + at, data, k);
	f->pos = at + k;
	n->size = f->pos > n->size ? f->pos : n->size;
	answer(NC_SYS_OK, k, NULL, 0);
}

static void do_write_bulk(open_t *f)
{
	const uint8_t *w = (const uint8_t *)(uintptr_t)msg.hdr.window;
	uint64_t len = msg.hdr.window_len, end = (len + 4095) / 4096 * 4096;
	bool zeros = true;
	for (uint64_t i = len; i < end; i++)
		zeros &= w[i] == 0;
	n_zeros += zeros;
	do_write(f, w, len);
	check_unmapped(msg.hdr.window);
}

static void do_seek(open_t *f)
{
	int64_t base = msg.hdr.arg1 == NC_SYS_SEEK_SET ? 0
		     : msg.hdr.arg1 == NC_SYS_SEEK_CUR ? (int64_t)f->pos
						       : (int64_t)nodes[f->node].size;
	int64_t pos = base + (int64_t)msg.hdr.arg0;
	if (pos < 0)
		return answer(NC_SYS_ERR_INVALID, 0, NULL, 0);
	f->pos = (uint64_t)pos;
	answer(NC_SYS_OK, f->pos, NULL, 0);
}

static void do_dir_entry(open_t *f, bool full)
{
	const uint8_t *dir = f->node < 0 ? (const uint8_t *)"/" : (const uint8_t *)nodes[f->node].name;
	size_t len = f->node < 0 ? 1 : nc_str_len(nodes[f->node].name);
	int i = child_at(dir, len, msg.hdr.arg0);
	if (i < 0)
		return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
	const char *name = nodes[i].name + (is_root(dir, len) ? 1 : len + 1);
	nc_sys_dirent_full_t e = { nodes[i].dir ? NC_SYS_HANDLE_DIR : NC_SYS_HANDLE_FILE, nodes[i].size,
				   (uint64_t)i + 2, { 0 } };
	nc_mem_copy(e.name, name, nc_str_len(name));
	if (full)
		return answer(NC_SYS_OK, 0, &e, sizeof e);
	nc_sys_dirent_t d = { e.type, e.size_bytes, { 0 } };
	nc_mem_copy(d.name, name, nc_str_len(name));
	answer(NC_SYS_OK, 0, &d, sizeof d);
}

/* Calls on an open object. */
static void on_object(void)
{
	open_t *f = object();
	if (msg.hdr.op == NC_SYS_SERVICE_OP_CLOSE) { /* a notice: no answer */
		n_close++;
		if (f)
			f->used = false;
		return;
	}
	if (!f)
		return answer(NC_SYS_ERR_BAD_HANDLE, 0, NULL, 0);
	nc_sys_stat_full_t st;
	switch (msg.hdr.op) {
	case NC_SYS_FD_READ: return do_read(f);
	case NC_SYS_FD_WRITE: return do_write(f, msg.payload, msg.hdr.in_len);
	case NC_SYS_FD_READ_BULK: return do_read_bulk(f);
	case NC_SYS_FD_WRITE_BULK: return do_write_bulk(f);
	case NC_SYS_FD_SEEK: return do_seek(f);
	case NC_SYS_FS_LIST_DIR: return do_dir_entry(f, false);
	case NC_SYS_FS_READ_DIR: return do_dir_entry(f, true);
	case NC_SYS_FD_STAT:
		stat_node(f->node, &st);
		return answer(NC_SYS_OK, 0, &st, sizeof st);
	case NC_SYS_FS_SYNC: return answer(NC_SYS_OK, 0, NULL, 0);
	case NC_SYS_FS_TRUNCATE:
		if (msg.hdr.arg0 > NODE_BYTES)
			return answer(NC_SYS_ERR_NO_SPACE, 0, NULL, 0);
		if (msg.hdr.arg0 > nodes[f->node].size)
			nc_mem_set(nodes[f->node].data + nodes[f->node].size, 0, msg.hdr.arg0 - nodes[f->node].size);
		nodes[f->node].size = msg.hdr.arg0;
		return answer(NC_SYS_OK, 0, NULL, 0);
	}
	answer(NC_SYS_ERR_INVALID, 0, NULL, 0);
}

static void do_stat(const uint8_t *p, size_t len, bool full)
{
	if (len == 7 && nc_mem_compare(p, "/badlen", 7) == 0)
		return answer(NC_SYS_OK, 0, "x", 1); /* shorter than a stat */
	if (len == 5 && nc_mem_compare(p, "/held", 5) == 0)
		return answer(held_id ? NC_SYS_OK : NC_SYS_ERR_NOT_FOUND, 0, &(nc_sys_stat_t){ NC_SYS_HANDLE_FILE, 0 },
			      held_id ? sizeof(nc_sys_stat_t) : 0);
	int i = is_root(p, len) ? -1 : find(p, len);
	if (i < 0 && !is_root(p, len))
		return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
	nc_sys_stat_full_t st;
	stat_node(i, &st);
	if (full)
		return answer(NC_SYS_OK, 0, &st, sizeof st);
	nc_sys_stat_t s = { st.type, st.size_bytes };
	answer(NC_SYS_OK, 0, &s, sizeof s);
}

static void do_rename(const uint8_t *p, size_t len)
{
	size_t a = msg.hdr.arg0;
	int from = find(p, a), to = find(p + a, len - a);
	if (from < 0 || nodes[from].dir)
		return answer(from < 0 ? NC_SYS_ERR_NOT_FOUND : NC_SYS_ERR_WRONG_TYPE, 0, NULL, 0);
	if (to >= 0 && nodes[to].dir)
		return answer(NC_SYS_ERR_WRONG_TYPE, 0, NULL, 0);
	if (!parent_ok(p + a, len - a))
		return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
	if (to >= 0)
		nodes[to].used = false;
	nc_mem_set(nodes[from].name, 0, NAME_MAX_BYTES);
	nc_mem_copy(nodes[from].name, p + a, len - a);
	answer(NC_SYS_OK, 0, NULL, 0);
}

/* Calls on a path (payload: the path relative to /svct). */
static void on_path(void)
{
	const uint8_t *p = msg.payload;
	size_t len = msg.hdr.in_len;
	int i = find(p, len);
	nc_sys_statfs_t fs = { 512, NODES, 0, NODES, 0, 0, "memfs" };
	switch (msg.hdr.op) {
	case NC_SYS_FS_OPEN: return do_open(p, len, msg.hdr.arg0);
	case NC_SYS_FS_STAT: return do_stat(p, len, false);
	case NC_SYS_FS_STAT_FULL: return do_stat(p, len, true);
	case NC_SYS_FS_STAT_FS: return answer(NC_SYS_OK, 0, &fs, sizeof fs);
	case NC_SYS_FS_MKDIR:
		if (i >= 0 || is_root(p, len))
			return answer(NC_SYS_ERR_EXISTS, 0, NULL, 0);
		if (!parent_ok(p, len))
			return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
		return answer(create(p, len, true) < 0 ? NC_SYS_ERR_NO_SPACE : NC_SYS_OK, 0, NULL, 0);
	case NC_SYS_FS_UNLINK:
	case NC_SYS_FS_RMDIR:
		if (i < 0)
			return answer(NC_SYS_ERR_NOT_FOUND, 0, NULL, 0);
		if (nodes[i].dir != (msg.hdr.op == NC_SYS_FS_RMDIR))
			return answer(NC_SYS_ERR_WRONG_TYPE, 0, NULL, 0);
		if (nodes[i].dir && child_at(p, len, 0) >= 0)
			return answer(NC_SYS_ERR_NOT_EMPTY, 0, NULL, 0);
		nodes[i].used = false;
		return answer(NC_SYS_OK, 0, NULL, 0);
	case NC_SYS_FS_RENAME: return do_rename(p, len);
	case NC_SYS_FS_LINK: return answer(NC_SYS_ERR_UNSUPPORTED, 0, NULL, 0); /* not in FsLink's list */
	}
	answer(NC_SYS_ERR_INVALID, 0, NULL, 0);
}

int ut_svc_memfs_main(void)
{
	if (nc_sys_service_register(NC_SYS_SERVICE_FS, "/svct", 5, &port))
		return 1;
	for (;;) {
		if (nc_service_receive(port, &msg, NC_SYS_TIMEOUT_INFINITE))
			return 2;
		if (msg.hdr.op == NC_SYS_SERVICE_OP_CANCEL)
			n_cancel++;
		else if (msg.hdr.object)
			on_object();
		else
			on_path();
	}
}

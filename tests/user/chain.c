/* chain LEVEL: a link of a chain of processes for the tree-depth test
 * (usertests process.depth_is_bounded). It spawns `chain LEVEL+1` with all
 * of its quota but a little and every transferable handle, and exits with
 * its child's status. The deepest link, whose spawn gives LIMIT, checks
 * that the limit was the tree's depth and not its quota (much of it is left)
 * and that ProcessList, which walks the whole tree, lists every link; it
 * exits with its LEVEL then, or with ERR_BASE + a code for what went wrong. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { KEEP = 16 << 10, PLENTY_LEFT = 1 << 20, ERR_BASE = 1000, MAX_LIST = 256 };

static nc_sys_process_info_t procs[MAX_LIST];

static uint64_t info(uint64_t what)
{
	uint64_t v = 0;
	nc_sys_system_info(what, &v);
	return v;
}

/* The deepest link: why did the spawn stop, and does the list see us all? */
static int deepest(uint64_t level)
{
	if (info(NC_SYS_INFO_QUOTA_BYTES) - info(NC_SYS_INFO_QUOTA_USED_BYTES) < PLENTY_LEFT)
		return ERR_BASE + 1; /* the quota stopped it */
	uint64_t n, links = 0;
	if (nc_sys_process_list(procs, MAX_LIST, &n))
		return ERR_BASE + 2;
	for (uint64_t i = 0; i < n && i < MAX_LIST; i++)
		links += nc_str_compare(procs[i].name, "chain") == 0;
	return links == level ? (int)level : ERR_BASE + 3;
}

int main(const char *arg, size_t arg_len)
{
	static const char self[] = "chain";
	uint64_t level = 0;
	for (size_t i = 0; i < arg_len; i++)
		level = level * 10 + (uint64_t)(arg[i] - '0');
	char next[24];
	size_t len = nc_fmt_format(next, sizeof next, "%llu", (unsigned long long)(level + 1));
	uint64_t left = info(NC_SYS_INFO_QUOTA_BYTES) - info(NC_SYS_INFO_QUOTA_USED_BYTES);
	nc_sys_spawn_spec_t s = { (uint64_t)self, sizeof self - 1, (uint64_t)next, len, 0, NC_SYS_SPAWN_INHERIT,
				  left - KEEP, 0, 0 };
	uint64_t pid, status, reaped;
	nc_sys_err_t err = nc_sys_process_spawn_spec(&s, &pid);
	if (err == NC_SYS_ERR_LIMIT)
		return deepest(level);
	if (err || nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped))
		return ERR_BASE + 4;
	return (int)status;
}

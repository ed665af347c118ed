/* init, the first process. It reads the manifest named by its argument from
 * the initrd: one program per line, "path [argument]", '#' starts a comment.
 * It runs them in order, each to completion, reports each one's status, then
 * reaps whatever orphans remain and exits with the number of programs that
 * did not exit with 0 (the kernel powers off, or in test mode reports
 * pass/fail from it). */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { MANIFEST_MAX = 4096 };

static char manifest[MANIFEST_MAX + 1];

/* Run one manifest line; returns true when the program exited with 0. */
static bool run_line(const char *line, size_t len)
{
	size_t name_len = 0;
	while (name_len < len && line[name_len] != ' ')
		name_len++;
	const char *arg = line + name_len;
	size_t arg_len = len - name_len;
	while (arg_len && *arg == ' ') {
		arg++;
		arg_len--;
	}
	uint64_t pid, reaped, status = 0;
	nc_sys_err_t err = nc_sys_process_spawn(line, name_len, arg, arg_len, NULL, NC_SYS_SPAWN_INHERIT, &pid);
	if (err) {
		nc_print("init: cannot start %.*s: %s\n", (int)name_len, line, nc_sys_err_name(err));
		return false;
	}
	err = nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped);
	if (err) {
		nc_print("init: wait for %.*s failed: %s\n", (int)name_len, line, nc_sys_err_name(err));
		return false;
	}
	nc_print("init: %.*s (pid %llu) ended with status %#llx\n", (int)name_len, line,
		 (unsigned long long)pid, (unsigned long long)status);
	return status == 0;
}

int main(const char *arg, size_t arg_len)
{
	uint64_t n;
	nc_sys_err_t err = nc_sys_initrd_read(arg, arg_len, manifest, MANIFEST_MAX, 0, &n);
	if (err) {
		nc_print("init: cannot read manifest %s: %s\n", arg, nc_sys_err_name(err));
		return 1;
	}
	manifest[n] = 0;
	int failed = 0, run = 0;
	for (char *line = manifest; *line;) {
		char *end = line;
		while (*end && *end != '\n')
			end++;
		size_t len = (size_t)(end - line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			len--;
		if (len && line[0] != '#') {
			run++;
			failed += !run_line(line, len);
		}
		line = *end ? end + 1 : end;
	}
	uint64_t pid, status;
	while (nc_sys_process_wait(0, &status, NC_SYS_TIMEOUT_INFINITE, &pid) == NC_SYS_OK)
		;
	nc_print("init: %d programs run, %d failed\n", run, failed);
	return failed;
}

/* init, the first process. It reads the manifest named by its argument from
 * the initrd: one program per line, "path [argument]", '#' starts a comment.
 * It runs them in order, each to completion, reports each one's status, then
 * reaps whatever orphans remain and exits with the number of programs that
 * did not exit with 0 (the kernel powers off, or in test mode reports
 * pass/fail from it).
 *
 * A line "service path [WORD|ACTION=SCOPE]..." starts a service instead: in
 * the background, with the words without '=' as its argument, the console
 * (write), console.write and exactly the capabilities listed (attenuated from
 * init's own), and nothing else -- the
 * least a service needs (the AI service: fs.read on /models,
 * service.register on ai), plus the write end of a readiness channel. init
 * waits (up to READY_NS) until the service says it is ready
 * (nc_service_ready: registered, able to take calls), so the programs after
 * it find it; once they have run it kills the services it started, then
 * reaps. */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { MANIFEST_MAX = 4096, SERVICES_MAX = 8, SERVICE_GRANTS_MAX = 8, GRANT_TEXT_MAX = 200 };
#define READY_NS (60ull * 1000 * 1000 * 1000)

static char manifest[MANIFEST_MAX + 1];
static uint64_t services[SERVICES_MAX];
static int n_services;

/* Start the service of a "service path grant..." line (without "service ").
 * Returns true when it started. */
static bool start_service(const char *line, size_t len)
{
	uint64_t hs[3 + SERVICE_GRANTS_MAX], ready[2] = { 0, 0 };
	char arg[NC_SYS_ARG_MAX];
	size_t arg_len = 0;
	int n = 0;
	size_t i = 0, name_len;
	while (i < len && line[i] != ' ')
		i++;
	name_len = i;
	bool ok = n_services < SERVICES_MAX &&
		  nc_sys_handle_duplicate(1, NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &hs[n++]) == NC_SYS_OK &&
		  nc_cap_derive("console.write", "*", &hs[n++]) == NC_SYS_OK;
	while (ok && i < len) {
		while (i < len && line[i] == ' ')
			i++;
		size_t start = i, eq = 0;
		while (i < len && line[i] != ' ') {
			if (line[i] == '=' && !eq)
				eq = i;
			i++;
		}
		char text[GRANT_TEXT_MAX];
		if (i == start)
			break;
		if (!eq) { /* a word of the argument */
			ok = arg_len + (i - start) + 1 < sizeof arg;
			if (ok) {
				if (arg_len)
					arg[arg_len++] = ' ';
				nc_mem_copy(arg + arg_len, line + start, i - start);
				arg_len += i - start;
			}
			continue;
		}
		ok = i - start < sizeof text && n < 2 + SERVICE_GRANTS_MAX;
		if (ok) {
			nc_mem_copy(text, line + start, i - start);
			text[i - start] = 0;
			text[eq - start] = 0;
			ok = nc_cap_derive(text, text + (eq - start) + 1, &hs[n]) == NC_SYS_OK;
			n += ok;
		}
	}
	ok = ok && nc_sys_ipc_create_channel(ready) == NC_SYS_OK &&
	     nc_sys_handle_duplicate(ready[0], NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &hs[n++]) == NC_SYS_OK;
	uint64_t pid = 0, sizes;
	nc_sys_err_t err = ok ? nc_sys_process_spawn(line, name_len, arg, arg_len, hs, (uint64_t)n, &pid)
			      : NC_SYS_ERR_INVALID;
	for (int k = 0; k < n; k++)
		nc_sys_handle_close(hs[k]);
	if (ready[0])
		nc_sys_handle_close(ready[0]);
	uint8_t b;
	if (!err)
		err = nc_sys_ipc_receive(ready[1], &b, 1, NULL, 0, READY_NS, &sizes);
	if (ready[1])
		nc_sys_handle_close(ready[1]);
	if (err) {
		nc_print("init: service %.*s did not start: %s\n", (int)len, line, nc_sys_err_name(err));
		if (pid)
			services[n_services++] = pid;
		return false;
	}
	services[n_services++] = pid;
	nc_print("init: service %.*s (pid %llu) ready\n", (int)name_len, line, (unsigned long long)pid);
	return true;
}

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
		static const char svc[] = "service ";
		if (len > sizeof svc - 1 && nc_mem_compare(line, svc, sizeof svc - 1) == 0) {
			run++;
			failed += !start_service(line + sizeof svc - 1, len - (sizeof svc - 1));
		} else if (len && line[0] != '#') {
			run++;
			failed += !run_line(line, len);
		}
		line = *end ? end + 1 : end;
	}
	for (int i = 0; i < n_services; i++)
		nc_sys_process_kill(services[i]);
	uint64_t pid, status;
	while (nc_sys_process_wait(0, &status, NC_SYS_TIMEOUT_INFINITE, &pid) == NC_SYS_OK)
		;
	nc_print("init: %d programs run, %d failed\n", run, failed);
	return failed;
}

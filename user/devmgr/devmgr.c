/* devmgr, the device manager (docs/drivers.md): the policy of which driver
 * drives which PCI function, in user space. It reads every driver package
 * (*.pkg) at the root of the initrd, matches each PCI function without a
 * driver against the packages' manifests, and starts a driver for each match
 * with DriverLoadDevice (the kernel verifies the package). When a driver
 * ends, however it ends, devmgr starts it again (at most RESTARTS_MAX times
 * per function), so clients that open the device again reach a fresh driver.
 *
 *   devmgr [--service PROGRAM=KIND]... [--control] [PROGRAM [ARGUMENT]]
 * Each --service starts initrd program PROGRAM first, with console.write and
 * service.register scoped KIND only (netsvc=net: the network service), and
 * starts it again whenever it ends (at most RESTARTS_MAX times).
 * With a PROGRAM (the shell, a test) devmgr runs it once the drivers are up,
 * with every handle devmgr may pass on; when it ends, devmgr stops the
 * drivers and exits with its status. --control also gives PROGRAM a control
 * channel (its only channel endpoint besides those it makes) taking
 * "kill NAME" (it is started again), "fault NAME null|divide" (the driver
 * faults), "fault NAME lose N" (it ignores its device's next N
 * completions, so its watchdog's timeout comes), "fault NAME reset-fail"
 * (its next controller reset fails: it exits), "timeout NAME MS" (its
 * command timeout), "reset NAME" (it resets its device), "stop NAME" (killed
 * and not started again: the function is free when the answer comes),
 * "start NAME" (after stop; answered once the driver is ready) and
 * "restarts NAME", NAME being the driver's device name (nvme0): each
 * answered "ok N" (the driver's pid, or the restart count) or "error ...".
 * Each driver gets
 * console.write and a control channel on which devmgr first sends
 * "instance N" (its device number). */
#include <nc/drvpkg.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { PACKAGES_MAX = 8, DRIVERS_MAX = 8, SERVICES_MAX = 4, RESTARTS_MAX = 1000, MSG_MAX = 64, FUNCTIONS_MAX = 64 };
#define READY_NS 20000000000ull

typedef struct {
	char file[64];
	uint8_t *bytes;
	uint64_t len;
	nc_drvpkg_manifest_t m;
} package_t;

typedef struct {
	package_t *pkg;
	nc_sys_pci_device_t fn;
	char name[32];           /* device name: manifest name and instance, "nvme0" */
	char where[16];          /* the function, "02:00.0" */
	unsigned instance;
	uint64_t pid;            /* 0: not running */
	uint64_t control;        /* devmgr's end of the driver's control channel */
	uint32_t restarts;
	bool held;               /* "stop": not started again until "start" */
} driver_t;

typedef struct {
	char program[32];
	char kind[16];           /* the scope of its service.register */
	uint64_t pid;            /* 0: not running */
	uint32_t restarts;
} service_t;

static package_t packages[PACKAGES_MAX];
static service_t services[SERVICES_MAX];
static unsigned n_services;
static unsigned n_packages;
static driver_t drivers[DRIVERS_MAX];
static unsigned n_drivers;
static nc_lock_t lock;           /* drivers[] pids and control channels */
static volatile bool stopping;

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = nc_str_len(s), k = nc_str_len(suffix);
	return n > k && nc_mem_compare(s + n - k, suffix, k) == 0;
}

/* The whole initrd file name (relative to the initrd root) into buf[0..len). */
static bool read_file(const char *name, uint8_t *buf, uint64_t len)
{
	uint64_t done = 0, n = 0;
	while (done < len && nc_sys_initrd_read(name, nc_str_len(name), buf + done, len - done, done, &n) == NC_SYS_OK &&
	       n)
		done += n;
	return done == len;
}

static void load_package(const nc_sys_dirent_t *e)
{
	package_t *p = &packages[n_packages];
	nc_fmt_format(p->file, sizeof p->file, "%s", e->name);
	p->bytes = nc_malloc(e->size_bytes);
	nc_drvpkg_parts_t parts;
	if (!p->bytes || !read_file(p->file, p->bytes, e->size_bytes) ||
	    nc_drvpkg_parse(p->bytes, e->size_bytes, &parts) ||
	    nc_drvpkg_manifest_decode(parts.manifest, parts.manifest_len, &p->m)) {
		nc_print("devmgr: %s is not a driver package; skipped\n", p->file);
		nc_free(p->bytes);
		return;
	}
	p->len = e->size_bytes;
	n_packages++;
}

static void load_packages(void)
{
	uint64_t dir;
	if (nc_sys_fs_open("/", 1, NC_SYS_OPEN_DIR, &dir)) {
		nc_print("devmgr: cannot list the initrd\n");
		return;
	}
	nc_sys_dirent_t e;
	for (uint64_t i = 0; n_packages < PACKAGES_MAX && nc_sys_fs_list_dir(dir, i, &e) == NC_SYS_OK; i++)
		if (e.type == NC_SYS_HANDLE_FILE && ends_with(e.name, ".pkg"))
			load_package(&e);
	nc_sys_handle_close(dir);
}

static bool matches(const nc_drvpkg_manifest_t *m, const nc_sys_pci_device_t *f)
{
	return (!m->has_vendor || m->vendor == (f->vendor_device & 0xffff)) &&
	       (!m->has_device || m->device == (f->vendor_device >> 16)) &&
	       (!m->has_class || m->class_code == f->class_code);
}

/* The first capability handle of ours whose action is exactly action. */
static uint64_t find_cap(const char *action)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n = 0;
	nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n);
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++)
		if (info[i].type == NC_SYS_HANDLE_CAP && nc_str_compare(info[i].action, action) == 0)
			return info[i].handle;
	return 0;
}

/* A channel whose first end devmgr keeps without RIGHT_TRANSFER, so that a
 * program it runs with SPAWN_INHERIT does not get it. */
static nc_sys_err_t private_channel(uint64_t ch[2])
{
	nc_sys_err_t err = nc_sys_ipc_create_channel(ch);
	uint64_t kept;
	if (!err && !(err = nc_sys_handle_duplicate(ch[0], NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE, &kept))) {
		nc_sys_handle_close(ch[0]);
		ch[0] = kept;
	}
	return err;
}

/* A transferable capability for action on scope, derived from ours (0: none). */
static uint64_t derive(const char *root, const char *action, const char *scope)
{
	uint64_t h = 0;
	nc_sys_cap_spec_t s = { (uint64_t)action, nc_str_len(action), (uint64_t)scope, nc_str_len(scope),
				NC_SYS_RIGHT_TRANSFER, 0 };
	nc_sys_cap_attenuate(find_cap(root), &s, &h);
	return h;
}

/* Start service s (no lock needed: only the main thread touches services). */
static void start_service(service_t *s)
{
	uint64_t caps[2] = { derive("service", "service.register", s->kind), derive("console", "console.write", "*") };
	nc_sys_err_t err = caps[0] ? nc_sys_process_spawn(s->program, nc_str_len(s->program), "", 0, caps,
							  caps[1] ? 2 : 1, &s->pid)
				   : NC_SYS_ERR_DENIED;
	for (int i = 0; i < 2; i++)
		if (caps[i])
			nc_sys_handle_close(caps[i]);
	if (err) {
		nc_print("devmgr: cannot start the service %s: %s\n", s->program, nc_sys_err_name(err));
		s->pid = 0;
	}
}

/* A service ended: start it again unless devmgr is stopping or it keeps dying. */
static bool service_ended(uint64_t pid, uint64_t status)
{
	for (unsigned i = 0; i < n_services; i++) {
		service_t *s = &services[i];
		if (s->pid != pid)
			continue;
		s->pid = 0;
		bool again = !stopping && s->restarts < RESTARTS_MAX;
		nc_print("devmgr: service %s ended (status %#llx)%s\n", s->program, (unsigned long long)status,
			 again ? "; started again" : "");
		if (again) {
			s->restarts++;
			start_service(s);
		}
		return true;
	}
	return false;
}

/* "--service PROGRAM=KIND" (text after the option): false when malformed. */
static bool add_service(const char *text, size_t len)
{
	size_t eq = 0;
	while (eq < len && text[eq] != '=')
		eq++;
	service_t *s = &services[n_services];
	if (n_services == SERVICES_MAX || eq == 0 || eq >= sizeof s->program || eq + 1 >= len ||
	    len - eq - 1 >= sizeof s->kind)
		return false;
	nc_mem_copy(s->program, text, eq);
	nc_mem_copy(s->kind, text + eq + 1, len - eq - 1);
	n_services++;
	return true;
}

/* Start d's driver; lock held. */
static void start(driver_t *d)
{
	uint64_t ch[2];
	nc_sys_err_t err = private_channel(ch);
	if (err) {
		nc_print("devmgr: %s: no channel: %s\n", d->name, nc_sys_err_name(err));
		return;
	}
	uint64_t console = derive("console", "console.write", "*");
	uint64_t give[2] = { ch[1], console };
	err = nc_sys_driver_load_device(d->pkg->bytes, d->pkg->len, d->fn.bdf, give, console ? 2 : 1, &d->pid);
	nc_sys_handle_close(ch[1]);
	if (console)
		nc_sys_handle_close(console);
	if (err) {
		nc_print("devmgr: %s: DriverLoadDevice of %s for %s failed: %s\n", d->name, d->pkg->file, d->where,
			 nc_sys_err_name(err));
		nc_sys_handle_close(ch[0]);
		d->pid = 0;
		return;
	}
	char msg[MSG_MAX];
	size_t n = nc_fmt_format(msg, sizeof msg, "instance %u", d->instance);
	nc_sys_ipc_send(ch[0], msg, n, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	d->control = ch[0];
}

static void start_drivers(void)
{
	static nc_sys_pci_device_t fns[FUNCTIONS_MAX];
	uint64_t n = 0;
	if (nc_sys_pci_device_list(fns, FUNCTIONS_MAX, &n))
		nc_print("devmgr: no PCI functions (PciDeviceList refused)\n");
	for (uint64_t i = 0; i < n && i < FUNCTIONS_MAX && n_drivers < DRIVERS_MAX; i++)
		for (unsigned k = 0; k < n_packages; k++) {
			if (fns[i].driver_pid || !matches(&packages[k].m, &fns[i]))
				continue;
			driver_t *d = &drivers[n_drivers];
			unsigned same = 0;
			for (unsigned j = 0; j < n_drivers; j++)
				same += drivers[j].pkg == &packages[k];
			d->pkg = &packages[k];
			d->fn = fns[i];
			d->instance = same;
			nc_fmt_format(d->where, sizeof d->where, "%02llx:%02llx.%llu",
				      (unsigned long long)(fns[i].bdf >> 8 & 0xff), (unsigned long long)(fns[i].bdf >> 3 & 31),
				      (unsigned long long)(fns[i].bdf & 7));
			nc_fmt_format(d->name, sizeof d->name, "%s%u", packages[k].m.name, same);
			n_drivers++;
			nc_lock_acquire(&lock);
			start(d);
			nc_lock_release(&lock);
			if (d->pid)
				nc_print("devmgr: %s: driver %s (pid %llu) for %s\n", d->name, packages[k].m.name,
					 (unsigned long long)d->pid, d->where);
			break;
		}
}

static driver_t *by_name(const char *name)
{
	for (unsigned i = 0; i < n_drivers; i++)
		if (nc_str_compare(drivers[i].name, name) == 0)
			return &drivers[i];
	return NULL;
}

static driver_t *by_pid(uint64_t pid)
{
	for (unsigned i = 0; i < n_drivers; i++)
		if (drivers[i].pid == pid)
			return &drivers[i];
	return NULL;
}

/* A driver ended: start it again, unless devmgr is stopping or it keeps dying. */
static void ended(driver_t *d, uint64_t status)
{
	nc_lock_acquire(&lock);
	nc_sys_handle_close(d->control);
	d->control = 0;
	d->pid = 0;
	bool again = !stopping && !d->held && d->restarts < RESTARTS_MAX;
	if (again) {
		d->restarts++;
		start(d);
	}
	uint64_t pid = d->pid;
	nc_lock_release(&lock);
	nc_print("devmgr: %s: driver ended (status %#llx)%s", d->name, (unsigned long long)status,
		 again ? "; started again" : "\n");
	if (again)
		nc_print(" as pid %llu\n", (unsigned long long)pid);
}

/* Drop what a driver said on its control channel and nobody read. */
static void drain(uint64_t control)
{
	char msg[MSG_MAX];
	uint64_t sizes;
	while (nc_sys_ipc_receive(control, msg, sizeof msg, NULL, 0, 0, &sizes) == NC_SYS_OK)
		;
}

/* Wait up to READY_NS for d's "ready" (its device is registered). */
static void wait_ready(driver_t *d)
{
	char msg[MSG_MAX];
	uint64_t sizes;
	if (!d->control || nc_sys_ipc_receive(d->control, msg, sizeof msg - 1, NULL, 0, READY_NS, &sizes))
		nc_print("devmgr: %s: the driver did not say it is ready\n", d->name);
}

/* Send a driver message m (n bytes) on its control channel and wait up to
 * READY_NS for its answer. Errors: INVALID (the driver refused it), a send
 * or receive error (TIMED_OUT: no answer). */
static nc_sys_err_t tell(uint64_t control, const char *m, size_t n)
{
	char said[MSG_MAX];
	uint64_t sizes = 0;
	drain(control);
	nc_sys_err_t err = nc_sys_ipc_send(control, m, n, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	if (!err)
		err = nc_sys_ipc_receive(control, said, sizeof said, NULL, 0, READY_NS, &sizes);
	return err || ((uint32_t)sizes == 2 && said[0] == 'o' && said[1] == 'k') ? err : NC_SYS_ERR_INVALID;
}

static void answer(char *out, size_t cap, nc_sys_err_t err, uint64_t pid)
{
	if (err)
		nc_fmt_format(out, cap, "error %s", nc_sys_err_name(err));
	else
		nc_fmt_format(out, cap, "ok %llu", (unsigned long long)pid);
}

/* One control command; the answer goes into out. */
static void command(char *cmd, char *out, size_t cap)
{
	char *arg = cmd;
	while (*arg && *arg != ' ')
		arg++;
	if (*arg)
		*arg++ = 0;
	char *extra = arg; /* the rest of the line */
	while (*extra && *extra != ' ')
		extra++;
	if (*extra)
		*extra++ = 0;
	nc_lock_acquire(&lock);
	driver_t *d = by_name(arg);
	uint64_t pid = d ? d->pid : 0, control = d ? d->control : 0;
	uint32_t restarts = d ? d->restarts : 0;
	nc_lock_release(&lock);
	if (!d) {
		nc_fmt_format(out, cap, "error no driver %s", arg);
	} else if (nc_str_compare(cmd, "restarts") == 0) {
		nc_fmt_format(out, cap, "ok %u", restarts);
	} else if (nc_str_compare(cmd, "start") == 0) {
		nc_lock_acquire(&lock);
		d->held = false;
		if (!d->pid)
			start(d);
		pid = d->pid;
		nc_lock_release(&lock);
		wait_ready(d);
		answer(out, cap, pid ? NC_SYS_OK : NC_SYS_ERR_NO_DEVICE, pid);
	} else if (!pid) {
		nc_fmt_format(out, cap, "error %s is not running", arg);
	} else if (nc_str_compare(cmd, "kill") == 0 || nc_str_compare(cmd, "stop") == 0) {
		nc_lock_acquire(&lock);
		d->held = cmd[0] == 's';
		nc_lock_release(&lock);
		nc_sys_err_t err = nc_sys_process_kill(pid);
		/* stop answers once the claim is gone, so the function is free */
		while (!err && d->held && __atomic_load_n(&d->pid, __ATOMIC_ACQUIRE))
			nc_sys_sleep(10000000);
		answer(out, cap, err, pid);
	} else if (nc_str_compare(cmd, "fault") == 0 || nc_str_compare(cmd, "reset") == 0 ||
		   nc_str_compare(cmd, "timeout") == 0) {
		char m[MSG_MAX];
		size_t n = cmd[0] == 'r'   ? nc_fmt_format(m, sizeof m, "reset")
			   : cmd[0] == 'f' ? nc_fmt_format(m, sizeof m, "fault-%s", extra)
					   : nc_fmt_format(m, sizeof m, "timeout %s", extra);
		answer(out, cap, tell(control, m, n), pid);
	} else {
		nc_fmt_format(out, cap, "error unknown command %s", cmd);
	}
}

static int control_thread(void *arg)
{
	uint64_t ch = (uint64_t)arg, sizes;
	char cmd[MSG_MAX], out[MSG_MAX];
	while (nc_sys_ipc_receive(ch, cmd, sizeof cmd - 1, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes) == NC_SYS_OK) {
		cmd[(uint32_t)sizes] = 0;
		command(cmd, out, sizeof out);
		nc_sys_ipc_send(ch, out, nc_str_len(out), NULL, 0, NC_SYS_TIMEOUT_INFINITE);
	}
	return 0;
}

/* Run PROGRAM (with its argument) as a child with every handle we may pass. */
static uint64_t run_program(const char *line, size_t len, bool control)
{
	size_t name_len = 0;
	while (name_len < len && line[name_len] != ' ')
		name_len++;
	const char *arg = line + name_len + (name_len < len);
	uint64_t ch[2] = { 0, 0 }, pid = 0;
	if (control && private_channel(ch) == NC_SYS_OK) {
		static nc_thread_t t;
		nc_thread_start(&t, control_thread, (void *)ch[0]);
	}
	nc_sys_err_t err = nc_sys_process_spawn(line, name_len, arg, len - (size_t)(arg - line), NULL,
						NC_SYS_SPAWN_INHERIT, &pid);
	if (ch[1])
		nc_sys_handle_close(ch[1]);
	if (err)
		nc_print("devmgr: cannot start %.*s: %s\n", (int)name_len, line, nc_sys_err_name(err));
	return err ? 0 : pid;
}

/* Stop every driver and service (the program has ended) and reap them. */
static void stop_drivers(void)
{
	nc_lock_acquire(&lock);
	stopping = true;
	for (unsigned i = 0; i < n_drivers; i++)
		if (drivers[i].pid)
			nc_sys_process_kill(drivers[i].pid);
	nc_lock_release(&lock);
	for (unsigned i = 0; i < n_services; i++)
		if (services[i].pid)
			nc_sys_process_kill(services[i].pid);
	uint64_t pid, status;
	while (nc_sys_process_wait(0, &status, 1000000000ull, &pid) == NC_SYS_OK)
		;
}

int main(const char *arg, size_t arg_len)
{
	static const char service_opt[] = "--service ", control_opt[] = "--control";
	bool control = false;
	for (;;) {
		size_t skip = 0;
		if (nc_str_starts_with(arg, service_opt)) {
			size_t n = sizeof service_opt - 1;
			while (n < arg_len && arg[n] != ' ')
				n++;
			if (!add_service(arg + sizeof service_opt - 1, n - (sizeof service_opt - 1))) {
				nc_print("devmgr: bad option %.*s (--service PROGRAM=KIND)\n", (int)n, arg);
				return 64;
			}
			skip = n;
		} else if (nc_str_starts_with(arg, control_opt)) {
			control = true;
			skip = sizeof control_opt - 1;
		} else {
			break;
		}
		arg += skip;
		arg_len -= skip;
		while (arg_len && *arg == ' ')
			arg++, arg_len--;
	}
	for (unsigned i = 0; i < n_services; i++)
		start_service(&services[i]);
	load_packages();
	start_drivers();
	for (unsigned i = 0; i < n_drivers; i++)
		wait_ready(&drivers[i]);
	uint64_t program = arg_len ? run_program(arg, arg_len, control) : 0;
	for (;;) {
		uint64_t pid, status;
		nc_sys_err_t err = nc_sys_process_wait(0, &status, NC_SYS_TIMEOUT_INFINITE, &pid);
		if (err) {
			nc_print("devmgr: wait: %s\n", nc_sys_err_name(err));
			return 1;
		}
		if (program && pid == program) {
			stop_drivers();
			return (int)(status & NC_SYS_EXIT_CODE_MASK) | (status & ~NC_SYS_EXIT_CODE_MASK ? 1 : 0);
		}
		if (service_ended(pid, status))
			continue;
		nc_lock_acquire(&lock);
		driver_t *d = by_pid(pid);
		nc_lock_release(&lock);
		if (d)
			ended(d, status);
	}
}

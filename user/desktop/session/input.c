/* Input drivers (docs/desktop.md, "Input"): the session starts the
 * virtio-input driver on every virtio input function nobody drives, each
 * with an event channel whose other end goes to the compositor
 * (DESK_CTL_INPUT), and starts a driver again when it is killed or crashes
 * (up to SESSION_INPUT_RESTARTS_MAX times). The package lives under
 * /drivers, not at the initrd's root, so the device manager leaves these
 * functions to the session. When the compositor ends, so do the drivers
 * (their event channels close, and they end with status 0): they reset
 * their devices, QEMU sends keys to the PS/2 keyboard of the kernel console
 * again, and they are not started again. */
#include "session.h"
#include <nc/deskctl.h>
#include <nc/fmt.h>
#include <nc/virtio.h>

#define INPUT_PACKAGE "/drivers/virtio-input.pkg"
enum { VIRTIO_INPUT_DEVICE = 0x1052, FUNCTIONS_MAX = 64 };

static uint8_t *package;
static uint64_t package_len;

static void start(session_input_t *in)
{
	uint64_t e[2], console = 0;
	nc_sys_err_t err = nc_sys_ipc_create_channel(e);
	if (err) {
		session_say("input %s: %s", in->where, nc_sys_err_name(err));
		return;
	}
	nc_cap_derive("console.write", "*", &console);
	uint64_t give[2] = { e[1], console };
	err = nc_sys_driver_load_device(package, package_len, in->bdf, give, console ? 2 : 1, &in->pid);
	nc_sys_handle_close(e[1]);
	if (console)
		nc_sys_handle_close(console);
	deskctl_type_t m = { DESK_CTL_INPUT };
	if (!err)
		err = nc_sys_ipc_send(ses.ctl, &m, sizeof m, &e[0], 1, NC_SYS_TIMEOUT_INFINITE);
	else
		nc_sys_handle_close(e[0]);
	if (err) {
		session_say("input %s: driver not started: %s", in->where, nc_sys_err_name(err));
		in->pid = 0;
	} else {
		session_say("input %s driver pid %llu", in->where, (unsigned long long)in->pid);
	}
}

void session_inputs_start(void)
{
	static nc_sys_pci_device_t fns[FUNCTIONS_MAX];
	uint64_t n = 0;
	if (nc_sys_pci_device_list(fns, FUNCTIONS_MAX, &n) || !n)
		return;
	nc_sys_err_t err = nc_file_read_all(INPUT_PACKAGE, &package, &package_len);
	if (err) {
		session_say("input: cannot read %s: %s", INPUT_PACKAGE, nc_sys_err_name(err));
		return;
	}
	for (uint64_t i = 0; i < n && i < FUNCTIONS_MAX && ses.n_inputs < SESSION_INPUTS_MAX; i++) {
		const nc_sys_pci_device_t *f = &fns[i];
		if (f->driver_pid || f->vendor_device != (NC_VIRTIO_VENDOR | (uint64_t)VIRTIO_INPUT_DEVICE << 16))
			continue;
		session_input_t *in = &ses.inputs[ses.n_inputs++];
		in->bdf = f->bdf;
		nc_fmt_format(in->where, sizeof in->where, "%02llx:%02llx.%llu", (unsigned long long)(f->bdf >> 8 & 0xff),
			      (unsigned long long)(f->bdf >> 3 & 31), (unsigned long long)(f->bdf & 7));
		start(in);
	}
}

bool session_input_ended(uint64_t pid, uint64_t status)
{
	for (int i = 0; i < ses.n_inputs; i++) {
		session_input_t *in = &ses.inputs[i];
		if (in->pid != pid)
			continue;
		in->pid = 0;
		/* status 0: it ended on purpose, the compositor having gone */
		bool again = status && ses.compositor && in->restarts < SESSION_INPUT_RESTARTS_MAX;
		session_say("input %s: driver ended, status %#llx%s", in->where, (unsigned long long)status,
			    again ? "; started again" : "");
		if (again) {
			in->restarts++;
			start(in);
		}
		return true;
	}
	return false;
}

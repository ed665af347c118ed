/* ipcbench: IPC call/reply round trips, run by init in a private copy of the
 * bench image (bench/kernel/ipc/ipc_bench.sh boots it with 1 CPU for the
 * same-CPU figure and 2 CPUs for the cross-CPU one, each under plain TCG,
 * where rdtsc counts cycles at the guest TSC rate, and under -icount
 * shift=0, where it counts guest instructions).
 *   baseline          an empty non-inlined function call
 *   null_syscall      AbiVersion: entry, dispatch, return
 *   ipc_round_trip    one IpcCall by the client plus the server's
 *                     IpcReplyReceive (8-byte request and reply), threads
 *                     of one process; the CPUs each side ran on are printed
 *   ipc_short_round_trip  the same with the register calls of ABI v2:
 *                     IpcCallShort and IpcReplyReceiveShort (8 bytes each way)
 *   ipc_round_trip_cross_cpu_polling   (argument "polling", 2+ CPUs) IpcSend plus IpcReceive
 *                     with timeout 0 retried until the reply is there, on
 *                     both sides: nobody blocks, so an idle CPU never steals
 *                     the other side and the two stay on different CPUs
 *                     (only meaningful with CPUs running in parallel: under
 *                     -icount QEMU runs one vCPU at a time and a poll spins
 *                     out its whole time slice)
 * Each figure is the median of KBENCH_ROUNDS rounds of N operations, per operation. */
#include <nc/mem.h>
#include <nc/ulib.h>
#include "../kbench_util.h"

enum { N = 4000 };

static uint64_t per_op_null_syscall(void)
{
	uint64_t v, t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++)
		nc_sys_abi_version(&v);
	return (kbench_rdtsc() - t0) / N;
}

static uint64_t server_end, client_end, server_cpus, client_cpus;
static uint64_t short_server_end, short_client_end;
static volatile uint64_t server_started;

/* The polling pair: both sides spin on IpcReceive(timeout 0). */
static uint64_t poll_client_end, poll_server_end;
static volatile uint64_t poll_server_cpu, poll_stop;

static void poll_receive(uint64_t end, uint64_t *v)
{
	uint64_t sizes;
	while (nc_sys_ipc_receive(end, v, sizeof *v, NULL, 0, 0, &sizes) == NC_SYS_ERR_TIMED_OUT && !poll_stop)
		;
}

static int poll_server(void *arg)
{
	(void)arg;
	uint64_t v = 0, cpu;
	while (!poll_stop) {
		poll_receive(poll_server_end, &v);
		if (poll_stop)
			break;
		nc_sys_ipc_send(poll_server_end, &v, sizeof v, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		if ((v & 255) == 0 && nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu) == NC_SYS_OK)
			poll_server_cpu |= 1ull << cpu;
	}
	return 0;
}

static uint64_t per_op_polling(void)
{
	uint64_t v, t0 = kbench_rdtsc();
	for (uint64_t i = 0; i < N; i++) {
		v = i;
		nc_sys_ipc_send(poll_client_end, &v, sizeof v, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		poll_receive(poll_client_end, &v);
	}
	return (kbench_rdtsc() - t0) / N;
}

static int server(void *arg)
{
	(void)arg;
	uint64_t req[1], n = 0, cpu;
	server_started = 1;
	nc_sys_err_t err = nc_sys_ipc_reply_receive(server_end, NULL, 0, req, sizeof req,
						    NC_SYS_TIMEOUT_INFINITE, &n);
	while (!err) {
		err = nc_sys_ipc_reply_receive(server_end, req, n, req, sizeof req, NC_SYS_TIMEOUT_INFINITE, &n);
		if ((req[0] & 255) == 0 && nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu) == NC_SYS_OK)
			server_cpus |= 1ull << cpu;
	}
	return 0;
}

static uint64_t per_op_round_trip(void)
{
	uint64_t req[1], rep[1], n, cpu;
	uint64_t t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++) {
		req[0] = (uint64_t)i;
		nc_sys_ipc_call(client_end, req, sizeof req, rep, sizeof rep, NC_SYS_TIMEOUT_INFINITE, &n);
	}
	uint64_t dt = kbench_rdtsc() - t0;
	if (nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu) == NC_SYS_OK)
		client_cpus |= 1ull << cpu;
	return dt / N;
}

static int short_server(void *arg)
{
	(void)arg;
	nc_sys_ipc_short_t m = { .len = NC_SYS_IPC_SHORT_NO_REPLY };
	while (nc_sys_ipc_reply_receive_short(short_server_end, &m) == NC_SYS_OK)
		; /* the request goes back as the reply */
	return 0;
}

static void short_call(uint64_t i)
{
	nc_sys_ipc_short_t m = { .len = 8, .w0 = i };
	nc_sys_ipc_call_short(short_client_end, &m);
}

static uint64_t per_op_short_round_trip(void)
{
	uint64_t t0 = kbench_rdtsc();
	for (int i = 0; i < N; i++)
		short_call((uint64_t)i);
	return (kbench_rdtsc() - t0) / N;
}

static void v1_call(uint64_t i)
{
	uint64_t req[1] = { i }, rep[1], n;
	nc_sys_ipc_call(client_end, req, sizeof req, rep, sizeof rep, NC_SYS_TIMEOUT_INFINITE, &n);
}

/* Arguments "profile" (IpcCall) and "profile-short" (IpcCallShort):
 * PROFILE_TRIPS round trips between two AbiVersion calls, the markers
 * ipc_profile.sh's debugger stops at (after a warm-up). */
enum { PROFILE_WARMUP = 100, PROFILE_TRIPS = 10 };

static int profile(void (*call)(uint64_t))
{
	uint64_t v;
	for (int i = 0; i < PROFILE_WARMUP; i++)
		call(1); /* not a multiple of 256: the server then makes no SystemInfo call */
	nc_sys_abi_version(&v);
	for (int i = 0; i < PROFILE_TRIPS; i++)
		call(1);
	nc_sys_abi_version(&v);
	nc_print("ipcbench: profiled %d round trips\n", PROFILE_TRIPS);
	return 0;
}

/* A server thread for fn on a new channel; *client gets the other end. */
static bool start_pair(int (*fn)(void *), uint64_t *client, uint64_t *server_side, nc_thread_t *t)
{
	uint64_t ends[2];
	if (nc_sys_ipc_create_channel(ends))
		return false;
	*client = ends[0];
	*server_side = ends[1];
	return nc_thread_start(t, fn, NULL) == 0;
}

static bool arg_is(const char *arg, size_t arg_len, const char *word)
{
	return arg_len == nc_str_len(word) && nc_mem_compare(arg, word, arg_len) == 0;
}

int main(const char *arg, size_t arg_len)
{
	uint64_t cpus = 0, ends[2], code;
	bool polling = arg_is(arg, arg_len, "polling");
	bool profiling = arg_is(arg, arg_len, "profile"), profiling_short = arg_is(arg, arg_len, "profile-short");
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &cpus);
	nc_thread_t t, ts;
	if (!start_pair(server, &client_end, &server_end, &t) ||
	    !start_pair(short_server, &short_client_end, &short_server_end, &ts))
		return 1;
	if (profiling || profiling_short)
		return profile(profiling ? v1_call : short_call);
	uint64_t baseline = kbench_baseline(N);
	kbench_report("null_syscall", per_op_null_syscall, baseline);
	/* With several CPUs, spin (no system call, so this CPU stays busy) until
	 * the server runs, so it starts on another CPU; once one side blocks, an
	 * idle CPU may still steal the other (docs/ipc.md), hence the masks. */
	while (cpus > 1 && !server_started)
		__asm__ volatile("pause");
	kbench_report(cpus == 1 ? "ipc_round_trip_same_cpu" : "ipc_round_trip_cross_cpu", per_op_round_trip, baseline);
	kbench_report(cpus == 1 ? "ipc_short_round_trip_same_cpu" : "ipc_short_round_trip_cross_cpu",
		      per_op_short_round_trip, baseline);
	nc_sys_handle_close(client_end);
	nc_sys_handle_close(short_client_end);
	nc_thread_join(&t, &code);
	nc_thread_join(&ts, &code);
	nc_print("ipcbench: %llu CPUs, client ran on CPU mask %#llx, server on %#llx\n", (unsigned long long)cpus,
		 (unsigned long long)client_cpus, (unsigned long long)server_cpus);
	if (polling && cpus > 1 && nc_sys_ipc_create_channel(ends) == NC_SYS_OK) {
		poll_client_end = ends[0];
		poll_server_end = ends[1];
		if (nc_thread_start(&t, poll_server, NULL))
			return 1;
		kbench_report("ipc_round_trip_cross_cpu_polling", per_op_polling, baseline);
		poll_stop = 1;
		nc_thread_join(&t, &code);
		uint64_t cpu = 0;
		nc_sys_system_info(NC_SYS_INFO_CURRENT_CPU, &cpu);
		nc_print("ipcbench: polling client on CPU %llu, server on CPU mask %#llx\n", (unsigned long long)cpu,
			 (unsigned long long)poll_server_cpu);
	}
	return 0;
}

/* netbench URL PORT BYTES [IO] (bench/net/net_bench.py): TCP over the NIC, the
 * NexaCore side. IO: bytes per NetSend (default IO_BULK_MAX_BYTES) and, up to
 * 256 KiB, per NetRecv. First host to guest: GET URL (a file on the host's HTTP
 * server) and discard the body; prints "BENCH nexacore recv BYTES NS". Then
 * guest to host: listen on PORT, print "netbench-send-ready", answer one
 * request with BYTES zero bytes (the host times it with curl), then print
 * "BENCH nexacore cpu NAME NS" for each process that ran during the send: its
 * CPU time over the send (where the guest's time went). Last, runs
 * "httpd / PORT+1" (user/net/httpd.c, with netbench's handles) for the host's
 * connection-rate measurement (wrk), until the machine is stopped. */
#include "../../user/net/http.h"
#include <nc/http_net.h>
#include <nc/args.h>
#include <nc/fmt.h>
#include <nc/mem.h>

#define WAIT_NS 60000000000ull
#define CPU_PERIOD_NS 1000000000ull

/* The most bytes per NetRecv and NetSend: more than NET_IO_MAX_BYTES, so each
 * call moves its bytes through a window (docs/network.md): a receive takes
 * what has arrived (at most the 128 KiB TCP window), a send queues them all. */
enum { RECV_BYTES = 256 * 1024, SEND_BYTES = NC_SYS_IO_BULK_MAX_BYTES };

static uint64_t io_bytes = SEND_BYTES; /* the IO argument */

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("netbench: %s: %s\n", what, nc_sys_err_name(err));
	return 1;
}

/* GET path from host:port and discard it; the body's bytes into *n. */
static nc_sys_err_t receive(const char *host, const char *name, const char *path, uint64_t *n)
{
	static http_head_t h;
	static uint8_t buf[RECV_BYTES];
	char req[256];
	uint64_t s, got;
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_TCP, &s);
	if (err)
		return err;
	size_t len = nc_fmt_format(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, name);
	if (!(err = nc_sys_net_connect(s, host, nc_str_len(host))) && !(err = nc_net_send_all(s, req, len)))
		err = http_recv_head(s, &h, WAIT_NS);
	*n = h.extra_len;
	size_t want = io_bytes < sizeof buf ? io_bytes : sizeof buf;
	while (!err && !(err = nc_sys_net_recv(s, buf, want, WAIT_NS, &got)) && got)
		*n += got;
	nc_sys_handle_close(s);
	return err;
}

enum { PROCS_MAX = 64 };

/* The processes' CPU times now (a count of 0 when the list fails). */
static uint64_t processes(nc_sys_process_info_t *p)
{
	uint64_t n = 0;
	if (nc_sys_process_list(p, PROCS_MAX, &n))
		return 0;
	return n < PROCS_MAX ? n : PROCS_MAX;
}

/* Each process's CPU time since before[0..n_before). */
static void print_cpu(const char *label, const nc_sys_process_info_t *before, uint64_t n_before)
{
	static nc_sys_process_info_t now[PROCS_MAX];
	uint64_t n = processes(now);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t was = 0;
		for (uint64_t j = 0; j < n_before; j++)
			if (before[j].pid == now[i].pid)
				was = before[j].cpu_time_ns;
		if (now[i].cpu_time_ns > was)
			nc_print("BENCH nexacore %s %s %llu\n", label, now[i].name,
				 (unsigned long long)(now[i].cpu_time_ns - was));
	}
}

static nc_sys_err_t send(uint64_t port, uint64_t bytes)
{
	static nc_sys_process_info_t before[PROCS_MAX];
	uint64_t n_before = 0;
	static http_head_t h;
	static uint8_t zeros[SEND_BYTES];
	char addr[32], head[96];
	uint64_t l, s;
	size_t n = nc_fmt_format(addr, sizeof addr, "0.0.0.0:%llu", (unsigned long long)port);
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_TCP, &l);
	if (!err && !(err = nc_sys_net_bind(l, addr, n)) && !(err = nc_sys_net_listen(l, 1))) {
		nc_print("netbench-send-ready\n");
		err = nc_sys_net_accept(l, WAIT_NS * 5, &s);
	}
	if (err)
		return err;
	size_t k = nc_fmt_format(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Length: %llu\r\n\r\n",
				 (unsigned long long)bytes);
	if (!(err = http_recv_head(s, &h, WAIT_NS)))
		n_before = processes(before);
	if (!err && !(err = nc_net_send_all(s, head, k)))
		for (uint64_t left = bytes; !err && left;) {
			size_t piece = left < io_bytes ? left : io_bytes;
			err = nc_net_send_all(s, zeros, piece);
			left -= piece;
		}
	nc_sys_net_shutdown(s, NC_SYS_NET_SHUT_SEND);
	nc_sys_handle_close(s);
	nc_sys_handle_close(l);
	if (!err)
		print_cpu("cpu", before, n_before);
	return err;
}

/* Run "httpd / PORT" with our handles and wait for it (it serves until the
 * machine is stopped); every CPU_PERIOD_NS print "BENCH nexacore cpu-httpd
 * NAME NS" for each process that ran in that period, after a line
 * "BENCH nexacore cpu-period T NS frames RX TX" (T counts the periods; RX and
 * TX: eth0's frame counts so far): where the guest's time goes while the
 * host runs wrk. */
static int serve_httpd(uint64_t port)
{
	static const char program[] = "httpd";
	static nc_sys_process_info_t before[PROCS_MAX];
	char arg[32];
	uint64_t pid, status = 0;
	size_t n = nc_fmt_format(arg, sizeof arg, "/ %llu", (unsigned long long)port);
	nc_sys_err_t err = nc_sys_process_spawn(program, sizeof program - 1, arg, n, NULL, NC_SYS_SPAWN_INHERIT, &pid);
	for (uint64_t t = 0; !err; t++) {
		uint64_t n_before = processes(before), t0 = now_ns();
		err = nc_sys_process_wait(pid, &status, CPU_PERIOD_NS, &pid);
		if (err == NC_SYS_ERR_TIMED_OUT) {
			nc_sys_net_interface_t e[2];
			uint64_t k = 0;
			if (nc_sys_net_interface_list(e, 2, &k) || k < 2)
				e[1].rx_packets = e[1].tx_packets = 0;
			nc_print("BENCH nexacore cpu-period %llu %llu frames %llu %llu\n", (unsigned long long)t,
				 (unsigned long long)(now_ns() - t0), (unsigned long long)e[1].rx_packets,
				 (unsigned long long)e[1].tx_packets);
			print_cpu("cpu-httpd", before, n_before);
			err = NC_SYS_OK;
		} else if (!err) {
			break;
		}
	}
	return err ? fail("httpd", err) : (int)status;
}

/* Wait up to 60 s for an interface besides the loopback to have an address (DHCP). */
static bool leased(void)
{
	nc_sys_net_interface_t e[4];
	uint64_t n;
	for (int i = 0; i < 600; i++) {
		if (nc_sys_net_interface_list(e, 4, &n) == NC_SYS_OK && n >= 2 && e[1].ipv4)
			return true;
		nc_sys_sleep(100000000);
	}
	return false;
}

int main(const char *arg, size_t arg_len)
{
	static char words[512], host[NC_SYS_NET_ADDR_MAX], name[NC_SYS_NET_ADDR_MAX];
	char *argv[5];
	int argc = 0;
	uint64_t port, bytes, n;
	if (nc_args_split(arg, arg_len, words, sizeof words, argv, 4, &argc) || argc < 3 ||
	    !nc_str_starts_with(argv[0], "http://") || !http_number(argv[1], &port) || !http_number(argv[2], &bytes) ||
	    (argc == 4 && (!http_number(argv[3], &io_bytes) || io_bytes == 0 || io_bytes > SEND_BYTES))) {
		nc_print("usage: netbench http://HOST:PORT/PATH PORT BYTES [IO]\n");
		return 2;
	}
	const char *h = argv[0] + 7, *path = h;
	while (*path && *path != '/')
		path++;
	nc_fmt_format(host, sizeof host, "%.*s", (int)(path - h), h);
	nc_fmt_format(name, sizeof name, "%s", host);
	if (!leased())
		return fail("DHCP", NC_SYS_ERR_TIMED_OUT);
	uint64_t t0 = now_ns();
	nc_sys_err_t err = receive(host, name, *path ? path : "/", &n);
	if (err)
		return fail("receive", err);
	nc_print("BENCH nexacore recv %llu %llu\n", (unsigned long long)n, (unsigned long long)(now_ns() - t0));
	if ((err = send(port, bytes)))
		return fail("send", err);
	return serve_httpd(port + 1);
}

/* ping HOST [COUNT]: ICMP echo requests to HOST (an IPv4 address, an IPv6
 * address with or without brackets, or a name), one a second, COUNT of them (default 4, at most 1000); prints each
 * reply with its round trip and a summary. Needs net.socket, net.send,
 * net.recv and net.connect on "HOST:0" (or "HOST:*"; "[fd77::1]:0" for an
 * IPv6 address): run it with
 * `run --grant net=* ping HOST`. Exit status 0 when a reply came, 1 when
 * none did, 2 on a usage or network error. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { PAYLOAD = 32, COUNT_MAX = 1000 };
#define SECOND 1000000000ull

static uint64_t now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("ping: %s: %s\n", what, nc_sys_err_name(err));
	return 2;
}

/* Wait up to deadline for the reply to seq; its round trip into *rtt. */
static nc_sys_err_t await_reply(uint64_t s, uint32_t seq, uint64_t deadline, uint64_t *rtt, char *from)
{
	uint8_t buf[PAYLOAD];
	uint64_t n;
	for (;;) {
		uint64_t t = now_ns();
		if (t >= deadline)
			return NC_SYS_ERR_TIMED_OUT;
		nc_sys_err_t err = nc_sys_net_recv_from(s, buf, sizeof buf, from, NC_SYS_NET_FROM_BYTES, deadline - t, &n);
		if (err)
			return err;
		uint32_t got;
		uint64_t sent;
		nc_mem_copy(&got, buf, 4);
		nc_mem_copy(&sent, buf + 4, 8);
		if (n == PAYLOAD && got == seq) { /* an older reply that came late is skipped */
			*rtt = now_ns() - sent;
			return NC_SYS_OK;
		}
	}
}

int main(const char *arg, size_t arg_len)
{
	char host[NC_SYS_NET_ADDR_MAX], target[NC_SYS_NET_ADDR_MAX + 3], from[NC_SYS_NET_FROM_BYTES];
	size_t h = 0;
	while (h < arg_len && arg[h] != ' ' && h < sizeof host - 1)
		host[h] = arg[h], h++;
	host[h] = 0;
	uint64_t count = 4;
	if (h < arg_len) {
		count = 0;
		for (const char *p = arg + h + 1; *p; p++) {
			if (*p < '0' || *p > '9' || count > COUNT_MAX)
				count = COUNT_MAX + 1;
			else
				count = count * 10 + (uint64_t)(*p - '0');
		}
	}
	if (h == 0 || count == 0 || count > COUNT_MAX) {
		nc_print("usage: ping HOST [COUNT]   (COUNT 1..%d)\n", COUNT_MAX);
		return 2;
	}
	bool bare_v6 = false; /* "fd77::1" means "[fd77::1]" */
	for (size_t i = 0; i < h; i++)
		bare_v6 |= host[0] != '[' && host[i] == ':';
	size_t t = nc_fmt_format(target, sizeof target, bare_v6 ? "[%s]:0" : "%s:0", host);
	uint64_t s, n;
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_ICMP_ECHO, &s);
	if (err)
		return fail("NetSocket", err);
	if ((err = nc_sys_net_connect(s, target, t)))
		return fail(host, err);
	uint64_t received = 0, min = UINT64_MAX, max = 0, sum = 0;
	for (uint32_t seq = 1; seq <= count; seq++) {
		uint8_t payload[PAYLOAD] = { 0 };
		uint64_t start = now_ns(), rtt;
		nc_mem_copy(payload, &seq, 4);
		nc_mem_copy(payload + 4, &start, 8);
		if ((err = nc_sys_net_send(s, payload, sizeof payload, &n)))
			return fail("NetSend", err);
		err = await_reply(s, seq, start + SECOND, &rtt, from);
		if (!err) {
			received++;
			min = rtt < min ? rtt : min;
			max = rtt > max ? rtt : max;
			sum += rtt;
			nc_print("reply from %s: seq=%u time=%llu.%03llu ms\n", from, seq, (unsigned long long)(rtt / 1000000),
				 (unsigned long long)(rtt / 1000 % 1000));
		} else if (err == NC_SYS_ERR_TIMED_OUT) {
			nc_print("no reply: seq=%u\n", seq);
		} else {
			return fail("NetRecvFrom", err);
		}
		uint64_t next = start + SECOND;
		if (seq < count && now_ns() < next)
			nc_sys_sleep(next - now_ns());
	}
	nc_print("%s: %llu sent, %llu received", host, (unsigned long long)count, (unsigned long long)received);
	if (received)
		nc_print(", round trip min/avg/max %llu/%llu/%llu us", (unsigned long long)(min / 1000),
			 (unsigned long long)(sum / received / 1000), (unsigned long long)(max / 1000));
	nc_print("\n");
	return received ? 0 : 1;
}

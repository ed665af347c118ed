/* The driver side of the network service's frame protocol (nc/netdev.h),
 * with this process as the driver: attaching (the interface, its MAC, link
 * state), the service's first frame out (a DHCP discover), hostile input
 * (slot lengths out of range, thousands of random and truncated frames, an
 * impossible ring count) that must never crash the service, a driver
 * that ends and attaches again (it gets its interface back), and stateless
 * DHCPv6 answers, right and hostile, to the service's Information-request. */
#include "netsvc_tests.h"
#include <nc/netdev.h>

static const uint8_t test_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

typedef nc_netdev_port_t fake_nic_t;

static bool attach(fake_nic_t *d)
{
	NC_EXPECT_SYS(nc_netdev_attach(d, test_mac, 1500, "testnic", 0, true), NC_SYS_OK);
	return true;
}

static void kick(fake_nic_t *d)
{
	nc_netdev_kick(d->chan);
}

/* Interface eth0 as the service describes it. */
static bool eth0(nc_sys_net_interface_t *e)
{
	nc_sys_net_interface_t all[4];
	uint64_t n;
	NC_EXPECT_SYS(nc_sys_net_interface_list(all, 4, &n), NC_SYS_OK);
	NC_REQUIRE(n == 2 && nc_str_compare(all[1].name, "eth0") == 0);
	*e = all[1];
	return true;
}

static bool is_dhcp_discover(const uint8_t *f, size_t len)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	return len >= 14 + 20 + 8 + 240 && nc_mem_compare(f, bcast, 6) == 0 && nc_mem_compare(f + 6, test_mac, 6) == 0 &&
	       f[12] == 0x08 && f[13] == 0x00 && f[14 + 9] == 17 && f[14 + 20 + 2] == 0 && f[14 + 20 + 3] == 67;
}

/* Wait up to 10 s for the service to send a frame that match() accepts
 * (what: its name in the failure); copy (NULL: none) gets its first
 * NC_NETDEV_FRAME_MAX bytes. */
static bool see_frame(fake_nic_t *d, bool (*match)(const uint8_t *, size_t), uint8_t *copy, const char *what)
{
	uint64_t idx, sizes, t0 = 0, now = 0;
	char b[8];
	nc_sys_clock_get(&t0);
	for (;;) {
		const uint8_t *f;
		size_t len;
		bool k;
		nc_netdev_err_t e;
		while ((e = nc_netdev_peek(&d->tx, &f, &len)) == NC_NETDEV_OK) {
			bool found = match(f, len);
			if (found && copy)
				nc_mem_copy(copy, f, len);
			nc_netdev_done(&d->tx, &k);
			if (found)
				return true;
		}
		NC_REQUIRE(e == NC_NETDEV_EMPTY);
		nc_sys_clock_get(&now);
		if (now - t0 > 10000000000ull)
			return NC_FAIL("no %s in 10 s", what);
		if (nc_netdev_may_sleep(&d->tx) &&
		    nc_sys_handle_wait_any(&d->chan, 1, 100000000, &idx) == NC_SYS_OK)
			(void)nc_sys_ipc_receive(d->chan, b, sizeof b, NULL, 0, 0, &sizes);
	}
}

static bool see_discover(fake_nic_t *d)
{
	return see_frame(d, is_dhcp_discover, NULL, "DHCP discover");
}

/* Put one frame (waiting for room); false when the ring stays full 5 s. */
static bool put(fake_nic_t *d, const uint8_t *f, size_t len)
{
	bool k = false;
	for (int i = 0; i < 5000; i++) {
		nc_netdev_err_t e = nc_netdev_put(&d->rx, f, len, &k);
		if (k || e == NC_NETDEV_FULL)
			kick(d);
		if (e != NC_NETDEV_FULL)
			return e == NC_NETDEV_OK;
		nc_sys_sleep(1000000);
	}
	return false;
}

/* A slot whose length is out of range: written by hand, as a broken driver would. */
static void put_bad_length(fake_nic_t *d, uint16_t len)
{
	uint32_t head = d->rx.own;
	d->rx.ring->len[head % NC_NETDEV_SLOTS] = len;
	d->rx.own = head + 1;
	__atomic_store_n(&d->rx.ring->head, d->rx.own, __ATOMIC_RELEASE);
	kick(d);
}

/* Random frames: any length, headers that claim IPv4 or ARP over garbage,
 * IPv4 headers with lengths and offsets that lie. Returns how many were put. */
static uint64_t put_hostile(fake_nic_t *d, int count)
{
	static uint8_t f[NC_NETDEV_FRAME_MAX];
	uint64_t seed = 0x2545f4914f6cdd1dull, put_n = 0;
	for (int i = 0; i < count; i++) {
		size_t len = NC_NETDEV_FRAME_MIN + nc_test_random(&seed) % (NC_NETDEV_FRAME_MAX - NC_NETDEV_FRAME_MIN + 1);
		for (size_t j = 0; j < len; j++)
			f[j] = (uint8_t)nc_test_random(&seed);
		nc_mem_copy(f, test_mac, 6); /* to us, so lwIP looks inside */
		uint64_t kind = nc_test_random(&seed) % 4;
		if (kind < 3) {
			f[12] = 0x08;
			f[13] = kind == 2 ? 0x06 : 0x00;
		}
		if (kind == 1 && len > 34) /* a plausible IPv4 header whose lengths lie */
			f[14] = (uint8_t)(0x40 | (5 + nc_test_random(&seed) % 11));
		if (!put(d, f, len))
			break;
		put_n++;
	}
	return put_n;
}

/* The service has taken every frame put (the rx ring is empty). */
static bool drained(fake_nic_t *d)
{
	for (int i = 0; i < 10000; i++) {
		if (__atomic_load_n(&d->rx.ring->tail, __ATOMIC_ACQUIRE) == d->rx.own)
			return true;
		nc_sys_sleep(1000000);
	}
	return NC_FAIL("the service left frames in the ring");
}

/* The driver's end sees the service close the channel. */
static bool closed_by_service(fake_nic_t *d)
{
	char b[16];
	uint64_t sizes;
	nc_sys_err_t err;
	while ((err = nc_sys_ipc_receive(d->chan, b, sizeof b, NULL, 0, 5000000000ull, &sizes)) == NC_SYS_OK)
		;
	NC_EXPECT_SYS(err, NC_SYS_ERR_PEER_CLOSED);
	return true;
}

static bool frames(void)
{
	fake_nic_t d;
	nc_sys_net_interface_t e;
	if (!attach(&d) || !eth0(&e))
		return false;
	NC_REQUIRE(e.mac == 0x525400123456ull && e.mtu == 1500);
	if (!see_discover(&d))
		return false;
	if (!eth0(&e))
		return false;
	NC_REQUIRE((e.flags & (NC_SYS_NET_IF_UP | NC_SYS_NET_IF_LINK)) == (NC_SYS_NET_IF_UP | NC_SYS_NET_IF_LINK));
	/* link state follows the window */
	nc_netdev_set_link(&d, false);
	kick(&d);
	for (int i = 0; i < 1000 && eth0(&e) && (e.flags & NC_SYS_NET_IF_LINK); i++)
		nc_sys_sleep(1000000);
	NC_REQUIRE(!(e.flags & NC_SYS_NET_IF_LINK));
	nc_netdev_set_link(&d, true);
	kick(&d);
	/* hostile frames */
	uint64_t before = e.rx_packets;
	put_bad_length(&d, 0);
	put_bad_length(&d, NC_NETDEV_FRAME_MIN - 1);
	put_bad_length(&d, NC_NETDEV_FRAME_MAX + 1);
	put_bad_length(&d, 0xffff);
	uint64_t good = put_hostile(&d, 3000);
	NC_REQUIRE(good == 3000);
	if (!drained(&d) || !eth0(&e))
		return false;
	if (e.rx_packets - before != good)
		return NC_FAIL("%llu frames counted, %llu put", (unsigned long long)(e.rx_packets - before),
			       (unsigned long long)good);
	/* an impossible count: the service lets go of the driver */
	__atomic_store_n(&d.rx.ring->head, d.rx.own + 5 * NC_NETDEV_SLOTS, __ATOMIC_RELEASE);
	kick(&d);
	if (!closed_by_service(&d) || !eth0(&e))
		return false;
	NC_REQUIRE(!(e.flags & NC_SYS_NET_IF_LINK));
	nc_netdev_detach(&d);
	/* the same MAC attaches again: the same interface; a driver that ends leaves it down */
	if (!attach(&d) || !see_discover(&d) || !eth0(&e))
		return false;
	NC_REQUIRE(e.flags & NC_SYS_NET_IF_LINK);
	nc_netdev_detach(&d);
	for (int i = 0; i < 1000 && eth0(&e) && (e.flags & NC_SYS_NET_IF_LINK); i++)
		nc_sys_sleep(1000000);
	NC_REQUIRE(!(e.flags & NC_SYS_NET_IF_LINK));
	return true;
}

/* A hello that breaks the protocol is refused and its channel closed. */
static bool bad_hello(void)
{
	uint64_t c[2], shm, sizes;
	char b[8];
	nc_netdev_hello_t hello = { .type = NC_NETDEV_HELLO, .version = NC_NETDEV_VERSION, .mtu = 1500 };
	NC_EXPECT_SYS(nc_sys_shm_create(4096, &shm), NC_SYS_OK); /* too small a window */
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_ipc_send(c[0], &hello, sizeof hello, &shm, 1, 0), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_net_attach(c[1]), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_ipc_receive(c[0], b, sizeof b, NULL, 0, 0, &sizes), NC_SYS_ERR_PEER_CLOSED);
	nc_sys_handle_close(c[0]);
	NC_EXPECT_SYS(nc_sys_ipc_create_channel(c), NC_SYS_OK); /* no hello at all */
	NC_EXPECT_SYS(nc_sys_net_attach(c[1]), NC_SYS_ERR_INVALID);
	nc_sys_handle_close(c[0]);
	return true;
}

/* ---- stateless DHCPv6 from the driver side: a router advertisement with
 * the O flag, the service's Information-request, and replies (RFC 8415)
 * that are wrong, lie about their lengths or carry too many servers ---- */

enum { ETH = 14, IP6 = 40, UDP = 8, DHCP6_HDR = 4, OPT_DNS = 23 };

static const uint8_t router_ll[16] = { 0xfe, 0x80, [15] = 1 };
/* the service's link-local address from test_mac (modified EUI-64) */
static const uint8_t our_ll[16] = { 0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56 };
static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };

/* The ones' complement checksum of an IPv6 upper-layer packet ip[IP6..)
 * over its pseudo-header (RFC 8200 8.1). */
static uint16_t upper_checksum(const uint8_t *ip, size_t upper_len)
{
	uint32_t sum = (uint32_t)upper_len + ip[6];
	for (size_t i = 8; i < IP6; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	for (size_t i = 0; i < upper_len; i++)
		sum += i & 1 ? ip[IP6 + i] : (uint32_t)ip[IP6 + i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet and IPv6 headers in f from router_ll to dst, upper_len bytes of
 * protocol next after them; returns the frame's length. */
static size_t ipv6_frame(uint8_t *f, const uint8_t dst[16], uint8_t next, uint8_t hops, size_t upper_len)
{
	static const uint8_t mcast_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	nc_mem_copy(f, dst[0] == 0xff ? mcast_mac : test_mac, 6);
	nc_mem_copy(f + 6, (const uint8_t[6]){ 0x52, 0x54, 0, 0, 0, 1 }, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	uint8_t *ip = f + ETH;
	nc_mem_set(ip, 0, IP6);
	ip[0] = 0x60;
	ip[4] = (uint8_t)(upper_len >> 8);
	ip[5] = (uint8_t)upper_len;
	ip[6] = next;
	ip[7] = hops;
	nc_mem_copy(ip + 8, router_ll, 16);
	nc_mem_copy(ip + 24, dst, 16);
	return ETH + IP6 + upper_len;
}

/* A router advertisement with the O flag ("other configuration": DHCPv6),
 * router lifetime 0, no options. */
static bool put_ra_other_config(fake_nic_t *d)
{
	uint8_t f[ETH + IP6 + 16] = { 0 };
	size_t len = ipv6_frame(f, all_nodes, 58, 255, 16);
	uint8_t *ra = f + ETH + IP6;
	ra[0] = 134;
	ra[4] = 64;
	ra[5] = 0x40;
	uint16_t c = upper_checksum(f + ETH, 16);
	ra[2] = (uint8_t)(c >> 8);
	ra[3] = (uint8_t)c;
	return put(d, f, len);
}

static bool is_info_request(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH, *udp = ip + IP6;
	return len >= ETH + IP6 + UDP + DHCP6_HDR && f[12] == 0x86 && f[13] == 0xdd && ip[6] == 17 && udp[2] == 2 &&
	       udp[3] == 0x23 && udp[UDP] == 11; /* port 547, INFORMATION-REQUEST */
}

/* A DHCPv6 REPLY with transaction id xid (3 bytes) and options[0..n) to the
 * service's link-local address, port 546. */
static bool put_reply(fake_nic_t *d, const uint8_t *xid, const uint8_t *options, size_t n)
{
	static uint8_t f[NC_NETDEV_FRAME_MAX];
	size_t upper = UDP + DHCP6_HDR + n, len = ipv6_frame(f, our_ll, 17, 64, upper);
	uint8_t *udp = f + ETH + IP6;
	nc_mem_set(udp, 0, UDP);
	udp[0] = 2, udp[1] = 0x23, udp[2] = 2, udp[3] = 0x22; /* 547 to 546 */
	udp[4] = (uint8_t)(upper >> 8);
	udp[5] = (uint8_t)upper;
	udp[UDP] = 7; /* REPLY */
	nc_mem_copy(udp + UDP + 1, xid, 3);
	nc_mem_copy(udp + UDP + DHCP6_HDR, options, n);
	uint16_t c = upper_checksum(f + ETH, upper);
	udp[6] = (uint8_t)(c >> 8);
	udp[7] = (uint8_t)c;
	return put(d, f, len);
}

/* One exchange: an advertisement, the service's request, a reply with
 * options[0..n) (the request's transaction id, or a wrong one); then
 * eth0's DHCPv6 DNS servers must be want (the DHCP ones stay empty). */
static bool exchange(fake_nic_t *d, bool right_xid, const uint8_t *options, size_t n, const char *want)
{
	static uint8_t req[NC_NETDEV_FRAME_MAX];
	if (!put_ra_other_config(d) || !see_frame(d, is_info_request, req, "DHCPv6 Information-request"))
		return false;
	uint8_t xid[3];
	nc_mem_copy(xid, req + ETH + IP6 + UDP + 1, 3);
	xid[0] ^= right_xid ? 0 : 0x5a;
	/* the service takes a frame and handles it under one hold of its lock,
	 * so once the ring is empty the interface list shows the outcome */
	nc_sys_net_interface_t e;
	if (!put_reply(d, xid, options, n) || !drained(d) || !eth0(&e))
		return false;
	if (nc_str_compare(e.dns_dhcp6, want) || e.dns_dhcp[0])
		return NC_FAIL("eth0's DNS servers '%s' (dhcpv6), '%s' (dhcp); want '%s' from DHCPv6", e.dns_dhcp6,
			       e.dns_dhcp, want);
	return true;
}

/* Option 23 (RFC 3646) with n_servers servers 2001:db8::first.. and a
 * length field of len_field, into o; returns its bytes. */
static size_t dns_option(uint8_t *o, unsigned n_servers, unsigned first, uint16_t len_field)
{
	o[0] = 0, o[1] = OPT_DNS, o[2] = (uint8_t)(len_field >> 8), o[3] = (uint8_t)len_field;
	for (unsigned i = 0; i < n_servers; i++) {
		uint8_t *a = o + 4 + 16 * i;
		nc_mem_set(a, 0, 16);
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = (uint8_t)(first + i);
	}
	return 4 + 16 * (size_t)n_servers;
}

static bool dhcp6_replies(void)
{
	fake_nic_t d;
	nc_sys_net_interface_t e;
	uint8_t o[4 + 16 * 5];
	if (!attach(&d))
		return false;
	for (int i = 0; i < 300 && eth0(&e) && !e.ipv6_link[0]; i++) /* its link-local address is usable */
		nc_sys_sleep(10000000);
	NC_REQUIRE(nc_str_compare(e.ipv6_link, "fe80::5054:ff:fe12:3456") == 0 && e.dns_dhcp6[0] == 0);
	size_t cut = dns_option(o, 0, 0, 3);
	nc_mem_set(o + cut, 0x20, 3); /* 3 bytes of a server, the packet's end */
	bool ok = exchange(&d, false, o, dns_option(o, 1, 1, 16), "") && /* another transaction's: ignored */
		  exchange(&d, true, o, cut + 3, "") &&
		  exchange(&d, true, o, dns_option(o, 5, 1, 80), "2001:db8::1 2001:db8::2") && /* 2 of 5 kept */
		  /* a length past 64 KiB: lwIP drops the whole reply */
		  exchange(&d, true, o, dns_option(o, 1, 7, 0xffff), "2001:db8::1 2001:db8::2") &&
		  exchange(&d, true, o, dns_option(o, 1, 7, 200), "2001:db8::7"); /* beyond the packet: what is there */
	size_t two = dns_option(o, 2, 8, 32);
	nc_mem_set(o + 4, 0, 16); /* "::" first: no server */
	ok = ok && exchange(&d, true, o, two, "2001:db8::9");
	nc_netdev_detach(&d);
	return ok;
}

static bool t_dhcp6_replies(void)
{
	uint64_t pid, n;
	if (!nt_start_netsvc(&pid))
		return false;
	bool ok = dhcp6_replies();
	if (ok && nc_sys_net_interface_list(NULL, 0, &n))
		ok = NC_FAIL("the service stopped answering");
	return nt_stop_netsvc(pid) && ok;
}

static bool t_driver_side(void)
{
	uint64_t pid, n, s;
	if (!nt_start_netsvc(&pid))
		return false;
	bool ok = bad_hello() && frames();
	/* still serving */
	if (ok && (nc_sys_net_interface_list(NULL, 0, &n) || nc_sys_net_socket(NC_SYS_NET_UDP, &s)))
		ok = NC_FAIL("the service stopped answering");
	return nt_stop_netsvc(pid) && ok;
}

const nc_test_case_t ut_netsvc_driver_tests[] = {
	{ "netsvc.driver_side", t_driver_side },
	{ "netsvc.dhcp6_replies", t_dhcp6_replies },
	{ NULL, NULL },
};

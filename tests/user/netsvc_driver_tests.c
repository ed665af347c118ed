/* The driver side of the network service's frame protocol (nc/netdev.h),
 * with this process as the driver: attaching (the interface, its MAC, link
 * state), the service's first frame out (a DHCP discover), hostile input
 * (slot lengths out of range, thousands of random and truncated frames, an
 * impossible ring count) that must never crash the service, and a driver
 * that ends and attaches again (it gets its interface back). */
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

/* Wait up to 10 s for the service to send a DHCP discover. */
static bool see_discover(fake_nic_t *d)
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
			bool found = is_dhcp_discover(f, len);
			nc_netdev_done(&d->tx, &k);
			if (found)
				return true;
		}
		NC_REQUIRE(e == NC_NETDEV_EMPTY);
		nc_sys_clock_get(&now);
		if (now - t0 > 10000000000ull)
			return NC_FAIL("no DHCP discover in 10 s");
		if (nc_netdev_may_sleep(&d->tx) &&
		    nc_sys_handle_wait_any(&d->chan, 1, 100000000, &idx) == NC_SYS_OK)
			(void)nc_sys_ipc_receive(d->chan, b, sizeof b, NULL, 0, 0, &sizes);
	}
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
	{ NULL, NULL },
};

/* The network service's interfaces: lwIP's loopback interface (127.0.0.1
 * and ::1, always first) and one Ethernet interface per attached driver,
 * fed through the driver's frame rings (nc/netdev.h). Each Ethernet
 * interface is dual-stack: IPv4 from DHCP, IPv6 with a link-local address
 * from its MAC (RFC 4862 with EUI-64) and SLAAC addresses from the routers'
 * advertisements (lwIP's nd6, with MLD for the solicited-node groups); an
 * advertisement with the O flag starts a stateless DHCPv6 exchange for DNS
 * servers (lwIP's dhcp6, dns_servers.c). An interface keeps its
 * name, its lwIP netif and its DHCP state when its driver ends; the driver
 * that attaches again with the same MAC address gets it back. While no
 * driver is attached the link is down, and the connections that used the
 * interface's address are reset (CONN_RESET), so their callers learn it at
 * once instead of waiting for TCP's timers.
 *
 * To a driver that offers TCP segmentation offload, the TCP/IPv4 segments
 * lwIP sends in a row go as large frames (tso.h): they wait in one pending
 * frame until a frame that does not continue it, or the end of the round of
 * lwIP work (net_iface_round_end). A frame that ends on a full segment after
 * a send was queued whole (its caller is likely to send more at once) may
 * wait for the next send's segments, at most TSO_HOLD_NS.
 *
 * The driver's window is hostile input: every count and length is checked
 * (nc/netdev.h), frames of impossible sizes are skipped and counted, and a
 * ring whose counts are impossible ends the attachment. net_lock held
 * throughout. */
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/netdev.h>
#include "lwip/dhcp.h"
#include "lwip/dhcp6.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "netif/ethernet.h"
#include "netsvc.h"
#include "tso.h"

enum {
	IFACES_MAX = NC_SYS_NET_INTERFACES_MAX - 1, /* besides the loopback */
	RX_BATCH = 64,                  /* frames taken from one ring per round */
	TX_ROOM_SPINS = 20000,          /* yields a send waits for a full tx ring before dropping */
};
#define TSO_HOLD_NS 1000000ull          /* longest a large frame waits for the next send's segments */

typedef struct {
	bool used, attached;
	char name[16];                  /* "eth0" */
	char driver[16];
	uint8_t mac[6];
	uint16_t mtu;
	uint64_t chan;                  /* the driver's channel (attached) */
	uint32_t offloads;              /* NC_NETDEV_OFFLOAD_* its driver offered */
	nc_netdev_window_t *win;        /* its window, mapped (attached) */
	nc_netdev_side_t rx, tx;
	struct netif netif;
	uint64_t rx_packets, tx_packets, rx_errors, tx_dropped;
} iface_t;

static iface_t ifaces[IFACES_MAX];

extern struct netif *netif_list;

void net_iface_init(void)
{
	/* lwip_init made the loopback interface (LWIP_HAVE_LOOPIF) */
}

/* ---- the data path ---- */

static net_tso_t tso;                   /* the pending large frame */
static iface_t *tso_iface;              /* its interface (NULL: none pending) */
static uint64_t tso_since;              /* when it started (net_now_ns) */
static uint64_t tso_due = UINT64_MAX;   /* held for the next send's segments until then */
static bool tso_grew, tso_hold;         /* this round: segments joined it; a send asked to hold it */

/* Put frame[0..len) on f's tx ring (mss: 0, or a large frame's), waiting a
 * while for room; counts it. */
static err_t put_frame(iface_t *f, const uint8_t *frame, size_t len, uint16_t mss)
{
	bool k = false;
	nc_netdev_err_t e = mss ? nc_netdev_put_large(&f->tx, frame, len, mss, &k) : nc_netdev_put(&f->tx, frame, len, &k);
	for (int spin = 0; e == NC_NETDEV_FULL && spin < TX_ROOM_SPINS; spin++) {
		nc_sys_yield(); /* the driver takes frames without this lock */
		e = mss ? nc_netdev_put_large(&f->tx, frame, len, mss, &k) : nc_netdev_put(&f->tx, frame, len, &k);
	}
	if (k)
		nc_netdev_kick(f->chan);
	if (e) {
		f->tx_dropped++;
		return ERR_MEM;
	}
	f->tx_packets++;
	return ERR_OK;
}

void net_iface_flush(void)
{
	iface_t *f = tso_iface;
	tso_iface = NULL;
	tso_due = UINT64_MAX;
	uint16_t mss;
	size_t len = net_tso_take(&tso, &mss);
	if (f && len && f->attached)
		(void)put_frame(f, tso.frame, len, mss); /* lwIP has let go of the segments: TCP resends what is lost */
}

void net_iface_hold(void)
{
	tso_hold = true;
}

uint64_t net_iface_round_end(uint64_t now)
{
	if (tso_iface && tso_hold && tso_grew && tso.last == tso.mss && now - tso_since < TSO_HOLD_NS)
		tso_due = tso_since + TSO_HOLD_NS;
	else if (!tso_iface || tso_grew || now >= tso_due)
		net_iface_flush(); /* segments of this round go at once; a held frame when due */
	tso_hold = tso_grew = false;
	return tso_due;
}

static err_t link_output(struct netif *netif, struct pbuf *p)
{
	iface_t *f = netif->state;
	if (!f->attached || p->tot_len > NC_NETDEV_FRAME_MAX) {
		f->tx_dropped++;
		return ERR_IF;
	}
	static uint8_t frame[NC_NETDEV_FRAME_MAX];
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	size_t len = p->tot_len < NC_NETDEV_FRAME_MIN ? NC_NETDEV_FRAME_MIN : p->tot_len;
	bool tso4 = f->offloads & NC_NETDEV_OFFLOAD_TSO4;
	if (tso4 && tso_iface == f && net_tso_append(&tso, frame, len)) {
		tso_grew = true;
		return ERR_OK;
	}
	net_iface_flush(); /* what waits goes first */
	if (tso4 && net_tso_can_start(frame, len)) {
		net_tso_start(&tso, frame, len);
		tso_iface = f;
		tso_since = net_now_ns();
		tso_grew = true;
		return ERR_OK;
	}
	return put_frame(f, frame, len, 0);
}

static err_t netif_setup(struct netif *netif)
{
	iface_t *f = netif->state;
	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->mtu = f->mtu;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	nc_mem_copy(netif->hwaddr, f->mac, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = link_output;
	netif_set_hostname(netif, "nexacore");
	return ERR_OK;
}

/* The driver is gone (or broke the protocol): unmap, close, link down, reset
 * the connections on the interface's address. */
static void detach(iface_t *f)
{
	f->attached = false;
	if (tso_iface == f)
		net_iface_flush(); /* dropped: no driver */
	nc_sys_mem_unmap((uint64_t)f->win, NC_NETDEV_WINDOW_BYTES);
	nc_sys_handle_close(f->chan);
	f->win = NULL;
	netif_set_link_down(&f->netif);
	net_tcp_reset_local(&f->netif);
	nc_print("netsvc: %s: driver %s detached\n", f->name, f->driver);
}

/* Feed up to RX_BATCH received frames to lwIP; true when more may wait. */
static bool take_frames(iface_t *f)
{
	for (int n = 0; n < RX_BATCH; n++) {
		const uint8_t *frame;
		size_t len;
		bool k = false;
		nc_netdev_err_t e = nc_netdev_peek(&f->rx, &frame, &len);
		if (e == NC_NETDEV_EMPTY)
			return !nc_netdev_may_sleep(&f->rx);
		if (e == NC_NETDEV_BROKEN) {
			nc_print("netsvc: %s: the driver's rx ring is corrupt\n", f->name);
			detach(f);
			return false;
		}
		struct pbuf *p = e ? NULL : pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
		if (e)
			f->rx_errors++;
		if (p) {
			pbuf_take(p, frame, (u16_t)len); /* copied out before lwIP looks at it */
			f->rx_packets++;
		}
		nc_netdev_done(&f->rx, &k);
		if (k)
			nc_netdev_kick(f->chan);
		if (p && f->netif.input(p, &f->netif) != ERR_OK)
			pbuf_free(p);
	}
	return true;
}

/* Read the channel: kicks, or the driver's end. False when it ended. */
static bool take_kicks(iface_t *f)
{
	uint8_t b[NC_SYS_IPC_MSG_MAX_BYTES];
	uint64_t sizes, h[NC_SYS_IPC_MSG_MAX_HANDLES];
	nc_sys_err_t err;
	while ((err = nc_sys_ipc_receive(f->chan, b, sizeof b, h, NC_SYS_IPC_MSG_MAX_HANDLES, 0, &sizes)) ==
	       NC_SYS_OK) {
		for (uint32_t i = 0; i < sizes >> 32; i++)
			nc_sys_handle_close(h[i]); /* kicks carry none */
	}
	return err != NC_SYS_ERR_PEER_CLOSED;
}

bool net_iface_poll(void)
{
	bool more = false;
	for (int i = 0; i < IFACES_MAX; i++) {
		iface_t *f = &ifaces[i];
		if (!f->attached)
			continue;
		if (!take_kicks(f)) {
			detach(f);
			continue;
		}
		bool up = __atomic_load_n(&f->win->link_up, __ATOMIC_ACQUIRE);
		if (up != netif_is_link_up(&f->netif)) {
			if (up)
				netif_set_link_up(&f->netif);
			else
				netif_set_link_down(&f->netif);
		}
		more |= take_frames(f);
	}
	return more;
}

size_t net_iface_channels(uint64_t *out, size_t max)
{
	size_t n = 0;
	for (int i = 0; i < IFACES_MAX && n < max; i++)
		if (ifaces[i].attached)
			out[n++] = ifaces[i].chan;
	return n;
}

/* ---- attaching ---- */

/* The interface a driver with mac gets: its old one, or a fresh one. */
static iface_t *iface_for(const uint8_t mac[6])
{
	iface_t *fresh = NULL;
	for (int i = 0; i < IFACES_MAX; i++) {
		if (ifaces[i].used && nc_mem_compare(ifaces[i].mac, mac, 6) == 0)
			return ifaces[i].attached ? NULL : &ifaces[i];
		if (!ifaces[i].used && !fresh)
			fresh = &ifaces[i];
	}
	return fresh;
}

/* Read and check the hello on chan; *win gets its window mapped. */
static nc_sys_err_t read_hello(uint64_t chan, nc_netdev_hello_t *hello, nc_netdev_window_t **win)
{
	uint64_t sizes, h[NC_SYS_IPC_MSG_MAX_HANDLES], size = 0, addr;
	nc_sys_err_t err = nc_sys_ipc_receive(chan, hello, sizeof *hello, h, NC_SYS_IPC_MSG_MAX_HANDLES, 0, &sizes);
	if (err)
		return NC_SYS_ERR_INVALID;
	uint32_t n_h = (uint32_t)(sizes >> 32);
	if ((uint32_t)sizes != sizeof *hello || n_h != 1 || hello->type != NC_NETDEV_HELLO ||
	    hello->version != NC_NETDEV_VERSION || hello->mtu < 576 || hello->mtu > 1500)
		err = NC_SYS_ERR_INVALID;
	if (!err && (nc_sys_shm_size(h[0], &size) || size < NC_NETDEV_WINDOW_BYTES))
		err = NC_SYS_ERR_INVALID;
	if (!err && nc_sys_shm_map(h[0], 0, 0, NC_NETDEV_WINDOW_BYTES, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr))
		err = NC_SYS_ERR_INVALID;
	for (uint32_t i = 0; i < n_h; i++)
		nc_sys_handle_close(h[i]); /* the mapping keeps the window */
	if (err)
		return err;
	*win = (nc_netdev_window_t *)addr;
	if (!nc_netdev_window_valid(*win)) {
		nc_sys_mem_unmap(addr, NC_NETDEV_WINDOW_BYTES);
		return NC_SYS_ERR_INVALID;
	}
	return NC_SYS_OK;
}

void net_iface_attach(const nc_service_msg_t *m)
{
	nc_netdev_hello_t hello;
	nc_netdev_window_t *win = NULL;
	uint64_t chan = m->n_handles == 1 ? m->handles[0] : 0;
	nc_sys_err_t err = chan ? read_hello(chan, &hello, &win) : NC_SYS_ERR_INVALID;
	iface_t *f = err ? NULL : iface_for(hello.mac);
	if (!err && !f)
		err = NC_SYS_ERR_LIMIT; /* every slot taken, or that MAC is attached already */
	if (err) {
		if (win)
			nc_sys_mem_unmap((uint64_t)win, NC_NETDEV_WINDOW_BYTES);
		if (chan)
			nc_sys_handle_close(chan);
		net_answer(m->hdr.id, err, 0, NULL, 0);
		return;
	}
	f->chan = chan;
	f->offloads = hello.offloads & NC_NETDEV_OFFLOAD_TSO4;
	f->win = win;
	f->rx = nc_netdev_side(win, true);
	f->tx = nc_netdev_side(win, false);
	nc_mem_copy(f->driver, hello.driver, sizeof f->driver);
	f->driver[sizeof f->driver - 1] = 0;
	f->attached = true;
	bool fresh = !f->used;
	if (fresh) {
		f->used = true;
		f->mtu = hello.mtu;
		nc_mem_copy(f->mac, hello.mac, 6);
		nc_fmt_format(f->name, sizeof f->name, "eth%d", (int)(f - ifaces));
		netif_add(&f->netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, f, netif_setup, ethernet_input);
		netif_create_ip6_linklocal_address(&f->netif, 1);
		netif_set_ip6_autoconfig_enabled(&f->netif, 1);
		if (dhcp6_enable_stateless(&f->netif) != ERR_OK)
			nc_print("netsvc: %s: no memory for DHCPv6\n", f->name);
		netif_set_up(&f->netif);
		if (!netif_default)
			netif_set_default(&f->netif);
	}
	/* the link state before DHCP starts, so its first message goes out at once */
	if (__atomic_load_n(&win->link_up, __ATOMIC_ACQUIRE))
		netif_set_link_up(&f->netif);
	if (fresh)
		dhcp_start(&f->netif);
	else
		dhcp_network_changed(&f->netif);
	nc_print("netsvc: %s: driver %s attached\n", f->name, f->driver);
	net_answer(m->hdr.id, NC_SYS_OK, 0, NULL, 0);
	net_wake_by(0); /* the core thread waits on the new channel from now on */
}

/* ---- NetInterfaceList ---- */

static uint32_t prefix_of(uint32_t mask)
{
	uint32_t n = 0;
	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static void describe(struct netif *n, const char *name, nc_sys_net_interface_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	nc_fmt_format(out->name, sizeof out->name, "%s", name);
	out->flags = (netif_is_up(n) ? NC_SYS_NET_IF_UP : 0) | (netif_is_link_up(n) ? NC_SYS_NET_IF_LINK : 0) |
		     (dhcp_supplied_address(n) ? NC_SYS_NET_IF_DHCP : 0);
	for (int i = 0; i < n->hwaddr_len && i < 6; i++)
		out->mac = out->mac << 8 | n->hwaddr[i];
	out->ipv4 = lwip_ntohl(ip_2_ip4(&n->ip_addr)->addr);
	out->ipv4_prefix = prefix_of(lwip_ntohl(ip_2_ip4(&n->netmask)->addr));
	out->ipv4_gateway = lwip_ntohl(ip_2_ip4(&n->gw)->addr);
	out->mtu = n->mtu;
	net_dns_describe(n, false, out->dns_dhcp, sizeof out->dns_dhcp);
	net_dns_describe(n, true, out->dns_dhcp6, sizeof out->dns_dhcp6);
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		const ip_addr_t *a = &n->ip6_addr[i];
		bool link = ip6_addr_islinklocal(ip_2_ip6(a));
		char *to = link ? out->ipv6_link : out->ipv6_global;
		if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) && !to[0])
			net_format_ip(a, to, sizeof out->ipv6_link);
	}
}

void net_iface_list(const nc_service_msg_t *m)
{
	static nc_sys_net_interface_t out[NC_SYS_NET_INTERFACES_MAX];
	size_t max = m->hdr.arg0, n = 0, given = 0;
	struct netif *lo = NULL, *it;
	NETIF_FOREACH(it) {
		if (it->name[0] == 'l' && it->name[1] == 'o')
			lo = it;
	}
	if (lo && n++ < max)
		describe(lo, "lo", &out[given++]);
	for (int i = 0; i < IFACES_MAX; i++) {
		iface_t *f = &ifaces[i];
		if (!f->used || n++ >= max)
			continue;
		describe(&f->netif, f->name, &out[given]);
		out[given].rx_packets = f->rx_packets;
		out[given].tx_packets = f->tx_packets;
		given++;
	}
	net_answer(m->hdr.id, NC_SYS_OK, n, out, given * sizeof out[0]);
}

/* The e1000e driver (docs/network.md): a user-space process started by the
 * device manager with DriverLoad for an Intel 82574L (82574 GbE Controller
 * Family datasheet: 10.2 registers, 7.1 receive with legacy descriptors,
 * 7.2 transmit with legacy descriptors, 7.4.2 MSI-X with IVAR). One receive
 * and one transmit ring of 256 descriptors, each with its own 2 KiB DMA
 * buffer; every interrupt cause goes to MSI-X vector 0. Frames move between
 * the rings' buffers and the network service's rings (nc/netdev.h) by copy,
 * so the device only ever reaches the driver's DMA memory.
 *
 * TCP segmentation offload (7.3.6, NC_NETDEV_OFFLOAD_TSO4): a large frame
 * from the service (a TCP/IPv4 segment of up to 64 KiB) goes out as a TCP
 * context descriptor (header lengths, checksum offsets, MSS) and one
 * extended data descriptor per slot of the frame; the device cuts it into
 * segments and fills in their checksums. Per frame, only its last
 * descriptor asks for a status write-back (RS): the driver reclaims whole
 * frames.
 *
 * The main loop is nc/nic.h's, as the virtio-net driver's. Handles (DriverLoadDevice): the claim, the
 * driver.* capabilities, the offered net.attach, console.write and the
 * device manager's control channel. */
#include <nc/driver.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/nic.h>
#include <nc/ulib.h>

enum {
	CTRL = 0x0000, STATUS = 0x0008, EERD = 0x0014, ICR = 0x00c0, IMS = 0x00d0, IMC = 0x00d8, IVAR = 0x00e4,
	RCTL = 0x0100, TCTL = 0x0400, TIPG = 0x0410, RDBAL = 0x2800, RDBAH = 0x2804, RDLEN = 0x2808, RDH = 0x2810,
	RDT = 0x2818, TDBAL = 0x3800, TDBAH = 0x3804, TDLEN = 0x3808, TDH = 0x3810, TDT = 0x3818, MTA = 0x5200,
	RAL0 = 0x5400, RAH0 = 0x5404,
	CTRL_ASDE = 1 << 5, CTRL_SLU = 1 << 6, CTRL_RST = 1 << 26, STATUS_LU = 1 << 1,
	EERD_START = 1, EERD_DONE = 1 << 1, RAH_AV = 1u << 31,
	RCTL_EN = 1 << 1, RCTL_MPE = 1 << 4, RCTL_BAM = 1 << 15, RCTL_SECRC = 1 << 26, /* buffer size 00: 2048 bytes */
	TCTL_EN = 1 << 1, TCTL_PSP = 1 << 3, TCTL_CT = 0x0f << 4, TCTL_COLD = 0x3f << 12, TIPG_DEFAULT = 0x0060200a,
	ICR_TXDW = 1 << 0, ICR_LSC = 1 << 2, ICR_RXT0 = 1 << 7, ICR_RXQ0 = 1 << 20, ICR_TXQ0 = 1 << 22,
	ICR_OTHER = 1 << 24,
	IVAR_VALID = 8, /* vector 0 for receive queue 0 (bits 3:0), transmit queue 0 (11:8), other (19:16) */
	DESC_DD = 1, DESC_EOP = 2, TX_CMD_EOP = 1, TX_CMD_IFCS = 2, TX_CMD_TSE = 4, TX_CMD_RS = 8, TX_CMD_DEXT = 0x20,
	TX_DTYP_DATA = 0x10,             /* an extended data descriptor (bits 23:20 of its second word) */
	CTX_TCP = 1, CTX_IP4 = 2,        /* context descriptor TUCMD bits besides TSE and DEXT */
	POPTS_IXSM = 1, POPTS_TXSM = 2,  /* insert the IP and the TCP checksum */
	ETH_HDR = 14, IP4_CSUM_AT = 10, TCP_CSUM_AT = 16,
	RING = 256, BUF_BYTES = 2048, VECTOR = 0, MTA_WORDS = 128,
};
/* Legacy descriptors (7.1.4, 7.2.10): the same 16 bytes with the fields the
 * two directions use. */
typedef struct {
	uint64_t addr;
	uint16_t length;
	uint8_t cso_or_csum_lo, cmd_or_csum_hi;
	uint8_t status, errors_or_css;
	uint16_t special;
} desc_t;

_Static_assert(sizeof(desc_t) == 16, "e1000e descriptor");

/* The TCP/IP context descriptor (7.3.6.1): where the headers and their
 * checksums are, the payload length and the MSS for segmentation. */
typedef struct {
	uint8_t ipcss, ipcso;
	uint16_t ipcse;
	uint8_t tucss, tucso;
	uint16_t tucse;
	uint32_t paylen_cmd;             /* PAYLEN in bits 19:0, TUCMD in 31:24 */
	uint8_t status, hdr_len;
	uint16_t mss;
} ctx_desc_t;

_Static_assert(sizeof(ctx_desc_t) == 16, "e1000e context descriptor");

typedef struct {
	volatile desc_t *desc;
	uint8_t *bufs;
	uint64_t desc_bus, bufs_bus;
	uint32_t next;                   /* rx: the next descriptor to look at; tx: the next to fill */
	uint32_t clean;                  /* tx: the oldest descriptor not yet reclaimed */
	uint16_t last[RING];             /* tx: the last descriptor of the frame starting here */
} ring_t;

static volatile uint8_t *regs;
static ring_t rx, tx;

static uint32_t rd(uint32_t r) { return *(volatile uint32_t *)(regs + r); }
static void wr(uint32_t r, uint32_t v) { *(volatile uint32_t *)(regs + r) = v; }

static void check(const char *what, nc_sys_err_t err)
{
	if (!err)
		return;
	nc_print("e1000e: %s: %s\n", what, nc_sys_err_name(err));
	nc_sys_exit(1);
}

static bool link_up(nc_nic_t *n)
{
	(void)n;
	return rd(STATUS) & STATUS_LU;
}

static void alloc_ring(ring_t *r)
{
	uint64_t bus, addr, desc_bytes = RING * sizeof(desc_t);
	check("DMA memory for a ring", nc_sys_dma_map(desc_bytes + (uint64_t)RING * BUF_BYTES, &bus, &addr));
	r->desc = (volatile desc_t *)addr;
	r->desc_bus = bus;
	r->bufs = (uint8_t *)(addr + desc_bytes);
	r->bufs_bus = bus + desc_bytes;
}

/* A reset as Linux's e1000_reset_hw_82571 does it (drivers/net/ethernet/
 * intel/e1000e/82571.c): interrupts masked, receiver and transmitter stopped,
 * a pause, then CTRL.RST. A killed driver leaves both running over rings it
 * no longer owns (the kernel turns bus mastering off, and on again at the
 * next claim's first DMA buffer; this device has no function level reset), and QEMU 7.2's
 * e1000e keeps RCTL, TCTL and the ring registers across CTRL.RST (it resets
 * only the MAC address): without the stop the next driver reprogrammed the
 * rings under a live receiver. */
static void reset(void)
{
	wr(IMC, 0xffffffff);
	wr(RCTL, 0);
	wr(TCTL, 0);
	(void)rd(STATUS); /* the writes reach the device before the pause */
	nc_sys_sleep(10000000);
	wr(CTRL, rd(CTRL) | CTRL_RST);
	for (int i = 0; rd(CTRL) & CTRL_RST; i++) {
		if (i == 1000)
			check("the device did not come out of reset", NC_SYS_ERR_TIMED_OUT);
		nc_sys_sleep(1000000);
	}
	wr(IMC, 0xffffffff);
	(void)rd(ICR);
}

/* The MAC address: receive address 0 as the device came up, else the NVM. */
static void read_mac(uint8_t mac[6])
{
	uint32_t lo = rd(RAL0), hi = rd(RAH0);
	if (!(hi & RAH_AV)) {
		uint16_t w[3];
		for (uint32_t i = 0; i < 3; i++) {
			wr(EERD, i << 2 | EERD_START);
			uint32_t v;
			for (int n = 0; !((v = rd(EERD)) & EERD_DONE); n++) {
				if (n == 1000)
					check("reading the MAC address from the NVM", NC_SYS_ERR_TIMED_OUT);
				nc_sys_yield();
			}
			w[i] = (uint16_t)(v >> 16);
		}
		lo = w[0] | (uint32_t)w[1] << 16;
		hi = w[2];
	}
	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(lo >> (8 * i));
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
	wr(RAL0, lo);
	wr(RAH0, (hi & 0xffff) | RAH_AV);
}

static void bring_up(const nc_driver_args_t *a, nc_nic_t *n)
{
	check("mapping BAR 0", nc_driver_map_bar(a, 0, &regs));
	uint64_t ends[2];
	check("making the interrupt channel", nc_sys_ipc_create_channel(ends));
	n->irq_end = ends[1];
	check("attaching the interrupt", nc_sys_irq_attach(VECTOR, ends[0]));
	reset();
	wr(CTRL, rd(CTRL) | CTRL_SLU | CTRL_ASDE);
	read_mac(n->mac);
	for (uint32_t i = 0; i < MTA_WORDS; i++)
		wr(MTA + 4 * i, 0);
	alloc_ring(&rx);
	alloc_ring(&tx);
	for (uint32_t i = 0; i < RING; i++)
		rx.desc[i] = (desc_t){ .addr = rx.bufs_bus + (uint64_t)i * BUF_BYTES };
	wr(RDBAL, (uint32_t)rx.desc_bus);
	wr(RDBAH, (uint32_t)(rx.desc_bus >> 32));
	wr(RDLEN, RING * sizeof(desc_t));
	wr(RDH, 0);
	wr(RDT, RING - 1);
	wr(TDBAL, (uint32_t)tx.desc_bus);
	wr(TDBAH, (uint32_t)(tx.desc_bus >> 32));
	wr(TDLEN, RING * sizeof(desc_t));
	wr(TDH, 0);
	wr(TDT, 0);
	wr(TIPG, TIPG_DEFAULT);
	wr(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
	/* every multicast frame (MPE: IPv6 neighbour discovery's groups; the service filters) */
	wr(RCTL, RCTL_EN | RCTL_MPE | RCTL_BAM | RCTL_SECRC);
	wr(IVAR, IVAR_VALID | IVAR_VALID << 8 | IVAR_VALID << 16);
	wr(IMS, ICR_TXDW | ICR_LSC | ICR_RXT0 | ICR_RXQ0 | ICR_TXQ0 | ICR_OTHER);
}

/* Received frames to the service's rx ring; each descriptor goes back to the
 * device once its frame is taken. A full service ring leaves the rest. */
static bool move_rx(nc_nic_t *nic)
{
	bool moved = false, kick = false;
	for (;;) {
		volatile desc_t *d = &rx.desc[rx.next];
		if (!(d->status & DESC_DD))
			break;
		size_t n = d->length;
		bool k = false;
		if (nic->attached && (d->status & DESC_EOP) && !d->errors_or_css && n <= BUF_BYTES) {
			const uint8_t *frame = rx.bufs + (size_t)rx.next * BUF_BYTES;
			nc_netdev_err_t e = nc_netdev_put(&nic->port.rx, frame, n, &k);
			if (e == NC_NETDEV_FULL && !nc_netdev_may_wait_room(&nic->port.rx))
				e = nc_netdev_put(&nic->port.rx, frame, n, &k);
			if (e == NC_NETDEV_FULL)
				break; /* the service kicks us when it has made room */
		}
		kick |= k;
		d->status = 0;
		rx.next = (rx.next + 1) % RING;
		moved = true;
	}
	if (moved) /* the descriptors taken are the device's again: one register write for all */
		wr(RDT, (rx.next + RING - 1) % RING);
	if (kick)
		nc_netdev_kick(nic->port.chan);
	return moved;
}

static uint32_t tx_free(void)
{
	return (tx.clean + RING - tx.next - 1) % RING;
}

static bool tx_room(nc_nic_t *n, const nc_netdev_frame_t *f)
{
	(void)n;
	return tx_free() >= f->n_pieces + (f->mss ? 1u : 0u);
}

/* Slot i's buffer with bytes[0..len) copied in, at the device's address. */
static uint64_t tx_fill(uint32_t i, const uint8_t *bytes, size_t len)
{
	nc_mem_copy(tx.bufs + (size_t)i * BUF_BYTES, bytes, len);
	return tx.bufs_bus + (uint64_t)i * BUF_BYTES;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ones' complement sum, folded, of the TCP/IPv4 pseudo-header without
 * its length: what the TCP checksum field holds for segmentation (7.3.6.2). */
static uint16_t pseudo_sum(const uint8_t *ip)
{
	uint32_t sum = 6; /* the protocol */
	for (int i = 12; i < 20; i += 2)
		sum += be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* A large frame: a context descriptor, then one data descriptor per piece.
 * Headers the device cannot segment (not TCP/IPv4, or not all in the first
 * piece) drop the frame. */
static void tx_send_large(const nc_netdev_frame_t *f)
{
	const uint8_t *h = f->piece[0];
	size_t ihl = (size_t)(h[ETH_HDR] & 0x0f) * 4, hdr = 0;
	if (f->piece_len[0] >= ETH_HDR + 20 && be16(h + 12) == 0x0800 && h[ETH_HDR] >> 4 == 4 && ihl >= 20 &&
	    h[ETH_HDR + 9] == 6 && f->piece_len[0] >= ETH_HDR + ihl + 20)
		hdr = ETH_HDR + ihl + (size_t)(h[ETH_HDR + ihl + 12] >> 4) * 4;
	if (!hdr || hdr > f->piece_len[0] || hdr >= f->len)
		return;
	uint32_t start = tx.next, tucss = (uint32_t)(ETH_HDR + ihl);
	volatile ctx_desc_t *c = (volatile ctx_desc_t *)&tx.desc[start];
	*c = (ctx_desc_t){ .ipcss = ETH_HDR, .ipcso = ETH_HDR + IP4_CSUM_AT, .ipcse = (uint16_t)(tucss - 1),
			   .tucss = (uint8_t)tucss, .tucso = (uint8_t)(tucss + TCP_CSUM_AT),
			   .paylen_cmd = (uint32_t)(f->len - hdr) |
					 (uint32_t)(TX_CMD_DEXT | TX_CMD_TSE | CTX_IP4 | CTX_TCP) << 24,
			   .hdr_len = (uint8_t)hdr, .mss = f->mss };
	uint32_t i = (start + 1) % RING;
	for (uint32_t k = 0; k < f->n_pieces; k++, i = (i + 1) % RING) {
		uint64_t bus = tx_fill(i, f->piece[k], f->piece_len[k]);
		if (k == 0) { /* the checksums the device fills in: IP's zero, TCP's seeded */
			uint8_t *b = tx.bufs + (size_t)i * BUF_BYTES;
			uint16_t seed = pseudo_sum(b + ETH_HDR);
			b[ETH_HDR + IP4_CSUM_AT] = b[ETH_HDR + IP4_CSUM_AT + 1] = 0;
			b[tucss + TCP_CSUM_AT] = (uint8_t)(seed >> 8);
			b[tucss + TCP_CSUM_AT + 1] = (uint8_t)seed;
		}
		bool last = k + 1 == f->n_pieces;
		tx.desc[i] = (desc_t){ .addr = bus, .length = f->piece_len[k], .cso_or_csum_lo = TX_DTYP_DATA,
				       .cmd_or_csum_hi = TX_CMD_DEXT | TX_CMD_TSE | TX_CMD_IFCS |
							 (last ? TX_CMD_EOP | TX_CMD_RS : 0),
				       .errors_or_css = POPTS_IXSM | POPTS_TXSM };
	}
	tx.last[start] = (uint16_t)((i + RING - 1) % RING);
	tx.next = i;
}

static void tx_send(nc_nic_t *n, const nc_netdev_frame_t *f)
{
	(void)n;
	if (f->mss) {
		tx_send_large(f);
		return;
	}
	tx.desc[tx.next] = (desc_t){ .addr = tx_fill(tx.next, f->piece[0], f->len), .length = (uint16_t)f->len,
				     .cmd_or_csum_hi = TX_CMD_EOP | TX_CMD_IFCS | TX_CMD_RS };
	tx.last[tx.next] = (uint16_t)tx.next;
	tx.next = (tx.next + 1) % RING;
}

/* Sent frames come back (their last descriptor written back); frames from
 * the service's tx ring to the device. */
static bool move_tx(nc_nic_t *n)
{
	bool sent;
	while (tx.clean != tx.next && (tx.desc[tx.last[tx.clean]].status & DESC_DD))
		tx.clean = (tx.last[tx.clean] + 1u) % RING;
	bool moved = nc_nic_pull_tx(n, tx_room, tx_send, &sent);
	if (sent) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the descriptors before the tail */
		wr(TDT, tx.next);
	}
	return moved;
}

/* Each interrupt's causes are cleared: one still set would hold back the next message. */
static void interrupt(nc_nic_t *n, uint32_t vector)
{
	(void)n;
	(void)vector;
	wr(ICR, rd(ICR));
}

int main(const char *arg, size_t arg_len)
{
	nc_driver_args_t a;
	if (!nc_driver_parse(arg, arg_len, &a)) {
		nc_print("e1000e: not started by DriverLoad (argument \"%s\")\n", arg);
		return 1;
	}
	static nc_nic_t nic = { .name = "e1000e", .offloads = NC_NETDEV_OFFLOAD_TSO4, .link_up = link_up, .interrupt = interrupt, .move_rx = move_rx,
				.move_tx = move_tx };
	uint64_t ctl = nc_driver_control_channel();
	unsigned instance = nc_driver_instance(ctl);
	bring_up(&a, &nic);
	nc_nic_run(&nic, a.pci, ctl, instance);
}

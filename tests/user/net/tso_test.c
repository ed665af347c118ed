/* user/services/net/tso.c on the host: segments built here as lwIP sends
 * them (Ethernet, IPv4 without options, TCP; random payload) join into one
 * large frame whose payload, cut again at its MSS as the device does, gives
 * back each segment's bytes at its sequence number; every kind of segment
 * that must not join (a gap, another connection, ACK or window, SYN/FIN/RST,
 * IP options or fragments, a short segment before another, too many bytes)
 * is refused and leaves the pending frame as it was; a frame stops at
 * NET_TSO_FRAME_MAX. */
#include <string.h>
#include "nc_test.h"
#include "../../../user/services/net/tso.h"

enum { HDR = 54, MSS = 1460 };

static uint8_t seg[NC_NETDEV_FRAME_MAX];
static net_tso_t t;
static uint8_t payload[1 << 16];

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* A segment of n payload bytes from payload[off..] at sequence seq0 + off. */
static size_t make(uint32_t seq0, size_t off, size_t n, uint8_t flags)
{
	memset(seg, 0, HDR);
	memcpy(seg, "\x52\x55\x0a\x00\x02\x02\x52\x54\x00\x12\x34\x56\x08\x00", 14);
	seg[14] = 0x45;
	put16(seg + 16, (uint32_t)(20 + 20 + n));
	put16(seg + 18, (uint32_t)(0x1234 + off / MSS)); /* identification: one per segment */
	seg[22] = 255;
	seg[23] = 6;
	put16(seg + 24, (uint32_t)(off * 7)); /* a checksum of its own */
	memcpy(seg + 26, "\x0a\x00\x02\x0f\x0a\x00\x02\x02", 8);
	put16(seg + 34, 8080);
	put16(seg + 36, 41000);
	put32(seg + 38, seq0 + (uint32_t)off);
	put32(seg + 42, 0x01020304);
	seg[46] = 5 << 4;
	seg[47] = flags;
	put16(seg + 48, 0x2000);
	put16(seg + 50, (uint32_t)(off * 13));
	memcpy(seg + HDR, payload + off, n);
	return HDR + n;
}

static void fill_payload(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)nc_test_random(&seed);
}

/* Join segments of the given sizes; each must join but the first (which starts). */
static void join(uint32_t seq0, const size_t *sizes, size_t n, uint8_t last_flags)
{
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = make(seq0, off, sizes[i], i + 1 == n ? last_flags : 0x10);
		if (i == 0) {
			NC_CHECK(net_tso_can_start(seg, len));
			net_tso_start(&t, seg, len);
		} else {
			NC_CHECK(net_tso_append(&t, seg, len));
		}
		off += sizes[i];
	}
}

NC_TEST(tso, segments_join_and_cut_back_into_the_same_segments)
{
	fill_payload();
	size_t sizes[22];
	for (size_t i = 0; i < 21; i++)
		sizes[i] = MSS;
	sizes[21] = 321;
	uint32_t seq0 = 0xfffff000u; /* the sequence number wraps inside */
	join(seq0, sizes, 22, 0x18);
	uint16_t mss;
	size_t len = net_tso_take(&t, &mss);
	NC_CHECK_EQ(mss, (uint16_t)MSS);
	NC_CHECK_EQ(len, (size_t)HDR + 21 * MSS + 321);
	NC_CHECK_EQ(((size_t)t.frame[16] << 8 | t.frame[17]), len - 14);
	NC_CHECK_EQ(t.frame[47], 0x18); /* ACK, and PSH from the last segment */
	NC_CHECK_EQ(memcmp(t.frame + 38, "\xff\xff\xf0\x00", 4), 0);
	/* the device's cut: segment k is payload[k*mss ..] at seq0 + k*mss */
	for (size_t k = 0, off = 0; off < len - HDR; k++, off += mss) {
		size_t n = len - HDR - off < mss ? len - HDR - off : mss;
		NC_CHECK_EQ(n, sizes[k]);
		NC_CHECK_EQ(memcmp(t.frame + HDR + off, payload + off, n), 0);
	}
	NC_CHECK_EQ(net_tso_take(&t, &mss), (size_t)0); /* taken */
}

NC_TEST(tso, one_segment_stays_an_ordinary_frame)
{
	fill_payload();
	size_t one = 700;
	join(5, &one, 1, 0x18);
	uint16_t mss = 99;
	NC_CHECK_EQ(net_tso_take(&t, &mss), (size_t)HDR + 700);
	NC_CHECK_EQ(mss, 0);
	NC_CHECK_EQ(memcmp(t.frame, seg, HDR + 700), 0); /* untouched */
}

/* A pending frame of 3 full segments, then a segment that must not join. */
static void refused(void (*spoil)(uint8_t *s), size_t n, uint32_t off)
{
	size_t sizes[3] = { MSS, MSS, MSS };
	join(1000, sizes, 3, 0x10);
	net_tso_t before = t;
	size_t len = make(1000, off, n, 0x10);
	if (spoil)
		spoil(seg);
	NC_CHECK(!net_tso_append(&t, seg, len));
	NC_CHECK_EQ(memcmp(&before, &t, sizeof t), 0);
}

static void syn(uint8_t *s) { s[47] |= 0x02; }
static void fin(uint8_t *s) { s[47] |= 0x01; }
static void rst(uint8_t *s) { s[47] = 0x14; }
static void urg(uint8_t *s) { s[47] |= 0x20; }
static void other_ack(uint8_t *s) { s[45] ^= 1; }
static void other_window(uint8_t *s) { s[49] ^= 1; }
static void other_port(uint8_t *s) { s[37] ^= 1; }
static void other_dest(uint8_t *s) { s[33] ^= 1; }
static void other_mac(uint8_t *s) { s[0] ^= 2; }
static void fragment(uint8_t *s) { s[20] = 0x20; }
static void other_ttl(uint8_t *s) { s[22] = 64; }
static void udp(uint8_t *s) { s[23] = 17; }
static void lying_length(uint8_t *s) { s[17] ^= 4; }

NC_TEST(tso, segments_that_do_not_continue_are_refused)
{
	fill_payload();
	void (*spoils[])(uint8_t *) = { syn, fin, rst, urg, other_ack, other_window, other_port, other_dest,
					other_mac, fragment, other_ttl, udp, lying_length };
	for (size_t i = 0; i < sizeof spoils / sizeof spoils[0]; i++)
		refused(spoils[i], MSS, 3 * MSS);
	refused(NULL, MSS, 4 * MSS);       /* a gap */
	refused(NULL, MSS, 2 * MSS);       /* a resend */
	refused(NULL, MSS + 1, 3 * MSS);   /* more than the MSS */
	refused(NULL, 0, 3 * MSS);         /* no payload */
	NC_CHECK(!net_tso_can_start(seg, make(0, 0, 0, 0x10)));
	NC_CHECK(!net_tso_can_start(seg, make(0, 0, 100, 0x12))); /* SYN-ACK */
	size_t len = make(0, 0, 100, 0x10);
	seg[14] = 0x46; /* IP options */
	NC_CHECK(!net_tso_can_start(seg, len));
}

NC_TEST(tso, a_short_segment_ends_the_frame)
{
	fill_payload();
	size_t sizes[2] = { MSS, 500 };
	join(0, sizes, 2, 0x10);
	size_t len = make(0, MSS + 500, MSS, 0x10);
	NC_CHECK(!net_tso_append(&t, seg, len)); /* would put a short segment in the middle */
}

NC_TEST(tso, the_frame_stays_within_the_largest)
{
	fill_payload();
	size_t sizes[22];
	for (size_t i = 0; i < 22; i++)
		sizes[i] = MSS;
	join(0, sizes, 22, 0x10); /* 54 + 22 * 1460 = 32174 bytes */
	size_t len = make(0, 22 * MSS, MSS, 0x10);
	NC_CHECK(!net_tso_append(&t, seg, len)); /* 33634 > NET_TSO_FRAME_MAX */
	len = make(0, 22 * MSS, 594, 0x10);
	NC_CHECK(net_tso_append(&t, seg, len)); /* 32768 fits */
	uint16_t mss;
	NC_CHECK_EQ(net_tso_take(&t, &mss), (size_t)NET_TSO_FRAME_MAX);
}

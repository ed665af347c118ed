/* The network service's TCP initial sequence numbers (user/services/net/isn.h,
 * RFC 6528): the keyed hash part against b3sum --keyed, the 4-microsecond
 * clock part, and that key and every field of the connection change it. */
#include "nc_test.h"
#include "isn.h"

static const uint8_t lo4[4] = {127, 0, 0, 1};
static const uint8_t other4[4] = {127, 0, 0, 2};
static const uint8_t lo6[16] = {[15] = 1};

static void key_bytes(uint8_t key[NET_ISN_KEY_BYTES], uint8_t first)
{
	for (unsigned i = 0; i < NET_ISN_KEY_BYTES; i++)
		key[i] = (uint8_t)(first + i);
}

static uint32_t isn(const uint8_t *key, const uint8_t *laddr, size_t lalen, uint16_t lport,
                    const uint8_t *raddr, size_t ralen, uint16_t rport, uint64_t clock_ns)
{
	net_isn_end_t l = {laddr, lalen, lport}, r = {raddr, ralen, rport};
	return net_isn_compute(key, &l, &r, clock_ns);
}

/* F for key 00 01 .. 1f over 04 1f90 7f000001 04 c350 7f000001, from
 *   b3sum --keyed --length 4 --raw DATA < KEY  ->  3f 89 38 be */
NC_TEST(netsvc_isn, hash_matches_b3sum)
{
	uint8_t key[NET_ISN_KEY_BYTES];
	key_bytes(key, 0);
	NC_CHECK(isn(key, lo4, 4, 8080, lo4, 4, 50000, 0) == 0xbe38893fu);
	NC_CHECK(isn(key, lo4, 4, 8080, lo4, 4, 50000, 10u * NET_ISN_TICK_NS + 3999u) == 0xbe38893fu + 10u);
}

NC_TEST(netsvc_isn, clock_advances_every_4us)
{
	uint8_t key[NET_ISN_KEY_BYTES];
	key_bytes(key, 7);
	uint32_t base = isn(key, lo6, 16, 443, lo6, 16, 40000, 0);
	NC_CHECK(isn(key, lo6, 16, 443, lo6, 16, 40000, 0) == base);
	NC_CHECK(isn(key, lo6, 16, 443, lo6, 16, 40000, 3999) == base);
	NC_CHECK(isn(key, lo6, 16, 443, lo6, 16, 40000, 4000) == base + 1u);
	NC_CHECK(isn(key, lo6, 16, 443, lo6, 16, 40000, 1000000000ull) == base + 250000u);
	/* M wraps modulo 2^32 like the sequence space (2^32 ticks of 4 us). */
	NC_CHECK(isn(key, lo6, 16, 443, lo6, 16, 40000, (1ull << 32) * NET_ISN_TICK_NS) == base);
}

/* Each input changes the value at the same instant, by more than a counter
 * step would: two connections can't be told apart by a small distance. */
NC_TEST(netsvc_isn, key_and_tuple_change_it)
{
	uint8_t key[NET_ISN_KEY_BYTES], key2[NET_ISN_KEY_BYTES];
	key_bytes(key, 0);
	key_bytes(key2, 0);
	key2[31] ^= 1;
	const uint64_t t = 123456789;
	uint32_t v[] = {
		isn(key, lo4, 4, 8080, lo4, 4, 50000, t),
		isn(key2, lo4, 4, 8080, lo4, 4, 50000, t),
		isn(key, lo4, 4, 8081, lo4, 4, 50000, t),
		isn(key, lo4, 4, 8080, lo4, 4, 50001, t),
		isn(key, other4, 4, 8080, lo4, 4, 50000, t),
		isn(key, lo4, 4, 8080, other4, 4, 50000, t),
		isn(key, lo4, 4, 50000, lo4, 4, 8080, t),  /* the ends swapped */
		isn(key, lo6, 16, 8080, lo6, 16, 50000, t),
	};
	size_t n = sizeof v / sizeof v[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			uint32_t d = v[i] - v[j];
			NC_CHECK(d > 65536u && d < 0u - 65536u);
		}
}

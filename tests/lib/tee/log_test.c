/* The measurement log: the register against a hand-built chain of BLAKE3
 * hashes over hand-encoded entries (the BLAKE3 code itself is checked
 * against the official vectors in tests/lib/crypto), its encoding, replay,
 * overflow and errors. */
#include "nc_test.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee.h>

/* register' = BLAKE3(register || kind || len || name || digest) by hand. */
static void by_hand(uint8_t reg[32], uint8_t kind, const char *name, const uint8_t digest[32])
{
	uint8_t buf[32 + 2 + 64 + 32];
	size_t n = nc_str_len(name);
	nc_mem_copy(buf, reg, 32);
	buf[32] = kind;
	buf[33] = (uint8_t)n; /* names under 128 bytes: a one-byte varint */
	nc_mem_copy(buf + 34, name, n);
	nc_mem_copy(buf + 34 + n, digest, 32);
	nc_crypto_blake3(reg, 32, buf, 34 + n + 32);
}

static void fill(nc_tee_log_t *log, uint8_t reg[32], uint8_t boot[32])
{
	uint8_t d[32];
	nc_mem_set(reg, 0, 32);
	nc_mem_set(d, 0xa1, 32);
	NC_CHECK(nc_tee_log_extend(log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, d) == NC_TEE_OK);
	by_hand(reg, 1, "kernel.elf", d);
	nc_mem_set(d, 0xa2, 32);
	nc_tee_log_extend(log, NC_TEE_LOG_INITRD, "initrd", 6, d);
	by_hand(reg, 2, "initrd", d);
	nc_tee_log_end_boot(log);
	nc_mem_copy(boot, reg, 32);
	nc_mem_set(d, 0xa3, 32);
	nc_tee_log_extend(log, NC_TEE_LOG_PROGRAM, "shell", 5, d);
	by_hand(reg, 16, "shell", d);
}

NC_TEST(tee_log, registers_match_hand_computation)
{
	nc_tee_log_entry_t st[4];
	nc_tee_log_t log;
	uint8_t reg[32], boot[32];
	nc_tee_log_init(&log, st, 4);
	fill(&log, reg, boot);
	NC_CHECK(nc_mem_compare(log.current, reg, 32) == 0);
	NC_CHECK(nc_mem_compare(log.boot, boot, 32) == 0);
	NC_CHECK_EQ(log.n_boot, 2);
	NC_CHECK_EQ(log.n_entries, 3);
	/* ending the boot part again changes nothing */
	nc_tee_log_end_boot(&log);
	NC_CHECK(nc_mem_compare(log.boot, boot, 32) == 0);
	uint8_t d[32];
	nc_mem_set(d, 0xa3, 32);
	NC_CHECK(nc_tee_log_contains(&log, NC_TEE_LOG_PROGRAM, "shell", 5, d));
	NC_CHECK(!nc_tee_log_contains(&log, NC_TEE_LOG_DRIVER, "shell", 5, d));
	d[0] = 0;
	NC_CHECK(!nc_tee_log_contains(&log, NC_TEE_LOG_PROGRAM, "shell", 5, d));
}

NC_TEST(tee_log, encode_decode_replay)
{
	nc_tee_log_entry_t st[4], back[4];
	nc_tee_log_t log, dec;
	uint8_t reg[32], boot[32], buf[512];
	size_t n;
	bool complete;
	nc_mem_set(st, 0, sizeof st); /* so whole entries compare */
	nc_mem_set(back, 0, sizeof back);
	nc_tee_log_init(&log, st, 4);
	fill(&log, reg, boot);
	NC_CHECK_EQ(nc_tee_log_encode(&log, buf, sizeof buf, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_log_decode(buf, n, &dec, back, 4, &complete), NC_TEE_OK);
	NC_CHECK(complete);
	NC_CHECK(nc_mem_compare(dec.current, reg, 32) == 0);
	NC_CHECK(nc_mem_compare(dec.boot, boot, 32) == 0);
	NC_CHECK_EQ(dec.n_boot, 2);
	NC_CHECK_EQ(dec.n_entries, 3);
	NC_CHECK(nc_mem_compare(back, st, sizeof(nc_tee_log_entry_t) * 3) == 0);
	NC_CHECK_EQ(nc_tee_log_decode(buf, n, &dec, back, 2, &complete), NC_TEE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_tee_log_encode(&log, buf, n - 1, &n), NC_TEE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_tee_log_encode(&log, buf, sizeof buf, &n), NC_TEE_OK);
	for (size_t cut = 0; cut < n; cut++)
		NC_CHECK_EQ(nc_tee_log_decode(buf, cut, &dec, back, 4, &complete), NC_TEE_ERR_FORMAT);
	/* an altered entry digest no longer replays to the recorded registers */
	buf[n - 1] ^= 1;
	NC_CHECK_EQ(nc_tee_log_decode(buf, n, &dec, back, 4, &complete), NC_TEE_ERR_FORMAT);
	buf[n - 1] ^= 1;
	buf[4] = 2;
	NC_CHECK_EQ(nc_tee_log_decode(buf, n, &dec, back, 4, &complete), NC_TEE_ERR_VERSION);
}

NC_TEST(tee_log, overflow_is_counted_not_lost)
{
	nc_tee_log_entry_t st[2], back[2];
	nc_tee_log_t log, dec;
	uint8_t reg[32], boot[32], buf[512];
	size_t n;
	bool complete = true;
	nc_tee_log_init(&log, st, 2);
	fill(&log, reg, boot);
	NC_CHECK_EQ(log.n_entries, 3);
	NC_CHECK(nc_mem_compare(log.current, reg, 32) == 0);
	NC_CHECK_EQ(nc_tee_log_encode(&log, buf, sizeof buf, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_log_decode(buf, n, &dec, back, 2, &complete), NC_TEE_OK);
	NC_CHECK(!complete);
	NC_CHECK(nc_mem_compare(dec.current, reg, 32) == 0);
	NC_CHECK(nc_mem_compare(dec.boot, boot, 32) == 0);
}

NC_TEST(tee_log, bad_entries_change_nothing)
{
	nc_tee_log_entry_t st[2];
	nc_tee_log_t log;
	uint8_t d[32] = { 0 }, zero[32] = { 0 };
	char name[NC_TEE_LOG_NAME_MAX + 1];
	nc_mem_set(name, 'a', sizeof name);
	nc_tee_log_init(&log, st, 2);
	NC_CHECK_EQ(nc_tee_log_extend(&log, NC_TEE_LOG_DRIVER, name, sizeof name, d), NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_log_extend(&log, NC_TEE_LOG_DRIVER, name, 0, d), NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_log_extend(&log, NC_TEE_LOG_DRIVER, "\xff", 1, d), NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_log_extend(&log, (nc_tee_log_kind_t)0, "x", 1, d), NC_TEE_ERR_FORMAT);
	NC_CHECK_EQ(log.n_entries, 0);
	NC_CHECK(nc_mem_compare(log.current, zero, 32) == 0);
	NC_CHECK_EQ(nc_tee_log_extend(&log, NC_TEE_LOG_DRIVER, name, NC_TEE_LOG_NAME_MAX, d), NC_TEE_OK);
}

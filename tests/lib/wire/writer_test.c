/* Postcard encoder against byte strings worked out by hand from the postcard
 * wire-format spec (varint = LEB128, zigzag for signed, length prefixes). */
#include "nc_test.h"
#include <nc/mem.h>
#include <nc/wire.h>

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static bool wrote(const nc_wire_writer_t *w, const uint8_t *want, size_t n)
{
	return w->err == NC_WIRE_OK && w->len_bytes == n && nc_mem_compare(w->buf, want, n) == 0;
}

NC_TEST(wire_writer, unsigned_varints)
{
	uint8_t buf[16];
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u32(&w, 0);
	NC_CHECK(wrote(&w, BYTES(0x00)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u32(&w, 127);
	NC_CHECK(wrote(&w, BYTES(0x7f)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u32(&w, 128); /* 128 = 1 * 128 + 0 */
	NC_CHECK(wrote(&w, BYTES(0x80, 0x01)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u16(&w, 300); /* 300 = 2 * 128 + 44 (0x2c) */
	NC_CHECK(wrote(&w, BYTES(0xac, 0x02)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u16(&w, UINT16_MAX);
	NC_CHECK(wrote(&w, BYTES(0xff, 0xff, 0x03)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u32(&w, UINT32_MAX);
	NC_CHECK(wrote(&w, BYTES(0xff, 0xff, 0xff, 0xff, 0x0f)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u64(&w, UINT64_MAX);
	NC_CHECK(wrote(&w, BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_u8(&w, 0xfe); /* u8 is a plain byte, not a varint */
	NC_CHECK(wrote(&w, BYTES(0xfe)));
}

NC_TEST(wire_writer, signed_zigzag)
{
	uint8_t buf[16];
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_i32(&w, 0);
	nc_wire_encode_i32(&w, -1);
	nc_wire_encode_i32(&w, 1);
	nc_wire_encode_i32(&w, -2);
	nc_wire_encode_i16(&w, -32768); /* zigzag 65535 */
	NC_CHECK(wrote(&w, BYTES(0x00, 0x01, 0x02, 0x03, 0xff, 0xff, 0x03)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_i64(&w, INT64_MIN); /* zigzag UINT64_MAX */
	NC_CHECK(wrote(&w, BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_i64(&w, INT64_MAX); /* zigzag UINT64_MAX - 1 */
	NC_CHECK(wrote(&w, BYTES(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_i8(&w, -1);
	NC_CHECK(wrote(&w, BYTES(0xff)));
}

NC_TEST(wire_writer, composite_values)
{
	uint8_t buf[32];
	nc_wire_writer_t w;
	/* struct { a: bool, b: Option<u8>, c: Option<u16>, d: &str, e: [u8; 2], f: enum variant 2 } */
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_bool(&w, true);
	nc_wire_encode_option(&w, false);
	nc_wire_encode_option(&w, true);
	nc_wire_encode_u16(&w, 5);
	nc_wire_encode_str(&w, "hi", 2);
	nc_wire_encode_raw(&w, (const uint8_t *)"\xaa\xbb", 2);
	nc_wire_encode_variant(&w, 2);
	nc_wire_encode_bytes(&w, NULL, 0);
	NC_CHECK(wrote(&w, BYTES(0x01, 0x00, 0x01, 0x05, 0x02, 'h', 'i', 0xaa, 0xbb, 0x02, 0x00)));
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_str(&w, "\xc3\xa9", 2); /* "é" */
	NC_CHECK(wrote(&w, BYTES(0x02, 0xc3, 0xa9)));
}

NC_TEST(wire_writer, overflow_is_whole_value_and_sticky)
{
	uint8_t buf[4];
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, sizeof buf);
	NC_CHECK_EQ(nc_wire_encode_u8(&w, 1), NC_WIRE_OK);
	NC_CHECK_EQ(nc_wire_encode_u32(&w, UINT32_MAX), NC_WIRE_ERR_OVERFLOW);
	NC_CHECK_EQ(w.len_bytes, 1);
	NC_CHECK_EQ(nc_wire_encode_u8(&w, 2), NC_WIRE_ERR_OVERFLOW);
	NC_CHECK_EQ(w.len_bytes, 1);
	nc_wire_writer_init(&w, buf, sizeof buf);
	NC_CHECK_EQ(nc_wire_encode_bytes(&w, (const uint8_t *)"abcd", 4), NC_WIRE_ERR_OVERFLOW);
	NC_CHECK_EQ(w.len_bytes, 0);
	nc_wire_writer_init(&w, buf, sizeof buf);
	NC_CHECK_EQ(nc_wire_encode_bytes(&w, (const uint8_t *)"abc", 3), NC_WIRE_OK);
	NC_CHECK_EQ(w.len_bytes, 4);
}

NC_TEST(wire_writer, rejects_bad_utf8)
{
	uint8_t buf[8];
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, sizeof buf);
	NC_CHECK_EQ(nc_wire_encode_str(&w, "\xc0\xaf", 2), NC_WIRE_ERR_BAD_UTF8);
	NC_CHECK_EQ(w.len_bytes, 0);
}

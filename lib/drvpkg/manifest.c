/* Driver manifests: the rules and the postcard encoding (see nc/drvpkg.h). */
#include <nc/drvpkg.h>
#include <nc/mem.h>
#include <nc/wire.h>

const char *nc_drvpkg_err_name(nc_drvpkg_err_t err)
{
	switch (err) {
	case NC_DRVPKG_OK: return "NC_DRVPKG_OK";
	case NC_DRVPKG_ERR_FORMAT: return "NC_DRVPKG_ERR_FORMAT";
	case NC_DRVPKG_ERR_MANIFEST: return "NC_DRVPKG_ERR_MANIFEST";
	case NC_DRVPKG_ERR_UNTRUSTED: return "NC_DRVPKG_ERR_UNTRUSTED";
	case NC_DRVPKG_ERR_SIGNATURE: return "NC_DRVPKG_ERR_SIGNATURE";
	case NC_DRVPKG_ERR_HASH: return "NC_DRVPKG_ERR_HASH";
	case NC_DRVPKG_ERR_TOO_SMALL: return "NC_DRVPKG_ERR_TOO_SMALL";
	}
	return "NC_DRVPKG_ERR_UNKNOWN";
}

static bool name_ok(const char *s)
{
	size_t n = nc_str_len_max(s, NC_DRVPKG_NAME_MAX + 1);
	if (n == 0 || n > NC_DRVPKG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* Printable ASCII, 1..max bytes (the kernel checks the capability syntax when
 * it derives the offered capability). */
static bool text_ok(const char *s, size_t max)
{
	size_t n = nc_str_len_max(s, max + 1);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

nc_drvpkg_err_t nc_drvpkg_manifest_check(const nc_drvpkg_manifest_t *m)
{
	if (!name_ok(m->name) || m->n_bars > NC_DRVPKG_BARS || m->irq_vectors > NC_DRVPKG_VECTORS_MAX ||
	    m->dma_budget_bytes > NC_DRVPKG_DMA_MAX_BYTES || m->n_offers > NC_DRVPKG_OFFERS_MAX)
		return NC_DRVPKG_ERR_MANIFEST;
	unsigned seen = 0;
	for (uint8_t i = 0; i < m->n_bars; i++) {
		if (m->bars[i] >= NC_DRVPKG_BARS || (seen >> m->bars[i] & 1))
			return NC_DRVPKG_ERR_MANIFEST;
		seen |= 1u << m->bars[i];
	}
	for (uint32_t i = 0; i < m->n_offers; i++)
		if (!text_ok(m->offers[i].action, NC_DRVPKG_ACTION_MAX) ||
		    !text_ok(m->offers[i].scope, NC_DRVPKG_SCOPE_MAX))
			return NC_DRVPKG_ERR_MANIFEST;
	return NC_DRVPKG_OK;
}

static void encode_opt_u32(nc_wire_writer_t *w, bool some, uint32_t v)
{
	nc_wire_encode_option(w, some);
	if (some)
		nc_wire_encode_u32(w, v);
}

nc_drvpkg_err_t nc_drvpkg_manifest_encode(const nc_drvpkg_manifest_t *m, uint8_t *buf, size_t cap_bytes,
					  size_t *len_out)
{
	if (nc_drvpkg_manifest_check(m))
		return NC_DRVPKG_ERR_MANIFEST;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, cap_bytes);
	nc_wire_encode_u32(&w, NC_DRVPKG_FORMAT);
	nc_wire_encode_str(&w, m->name, nc_str_len(m->name));
	nc_wire_encode_u32(&w, m->version);
	nc_wire_encode_option(&w, m->has_vendor);
	if (m->has_vendor)
		nc_wire_encode_u16(&w, m->vendor);
	nc_wire_encode_option(&w, m->has_device);
	if (m->has_device)
		nc_wire_encode_u16(&w, m->device);
	encode_opt_u32(&w, m->has_class, m->class_code);
	nc_wire_encode_len(&w, m->n_bars);
	for (uint8_t i = 0; i < m->n_bars; i++)
		nc_wire_encode_u8(&w, m->bars[i]);
	nc_wire_encode_u16(&w, m->irq_vectors);
	nc_wire_encode_u64(&w, m->dma_budget_bytes);
	nc_wire_encode_len(&w, m->n_offers);
	for (uint32_t i = 0; i < m->n_offers; i++) {
		nc_wire_encode_str(&w, m->offers[i].action, nc_str_len(m->offers[i].action));
		nc_wire_encode_str(&w, m->offers[i].scope, nc_str_len(m->offers[i].scope));
	}
	nc_wire_encode_raw(&w, m->image_hash, NC_DRVPKG_HASH_BYTES);
	if (w.err)
		return w.err == NC_WIRE_ERR_OVERFLOW ? NC_DRVPKG_ERR_TOO_SMALL : NC_DRVPKG_ERR_MANIFEST;
	*len_out = w.len_bytes;
	return NC_DRVPKG_OK;
}

/* A str of at most max bytes into a NUL-terminated buffer of max + 1. */
static void decode_text(nc_wire_reader_t *r, char *out, size_t max)
{
	const char *s;
	size_t n;
	if (nc_wire_decode_str(r, max, &s, &n) == NC_WIRE_OK) {
		nc_mem_copy(out, s, n);
		out[n] = 0;
	}
}

static void decode_opt_u16(nc_wire_reader_t *r, bool *some, uint16_t *v)
{
	if (nc_wire_decode_option(r, some) == NC_WIRE_OK && *some)
		nc_wire_decode_u16(r, v);
}

nc_drvpkg_err_t nc_drvpkg_manifest_decode(const uint8_t *buf, size_t len_bytes, nc_drvpkg_manifest_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	nc_wire_reader_t r;
	nc_wire_reader_init(&r, buf, len_bytes);
	uint32_t format = 0;
	size_t n_bars = 0, n_offers = 0;
	nc_wire_decode_u32(&r, &format);
	decode_text(&r, out->name, NC_DRVPKG_NAME_MAX);
	nc_wire_decode_u32(&r, &out->version);
	decode_opt_u16(&r, &out->has_vendor, &out->vendor);
	decode_opt_u16(&r, &out->has_device, &out->device);
	if (nc_wire_decode_option(&r, &out->has_class) == NC_WIRE_OK && out->has_class)
		nc_wire_decode_u32(&r, &out->class_code);
	nc_wire_decode_len(&r, NC_DRVPKG_BARS, &n_bars);
	for (size_t i = 0; i < n_bars; i++)
		nc_wire_decode_u8(&r, &out->bars[i]);
	out->n_bars = (uint8_t)n_bars;
	nc_wire_decode_u16(&r, &out->irq_vectors);
	nc_wire_decode_u64(&r, &out->dma_budget_bytes);
	nc_wire_decode_len(&r, NC_DRVPKG_OFFERS_MAX, &n_offers);
	for (size_t i = 0; i < n_offers; i++) {
		decode_text(&r, out->offers[i].action, NC_DRVPKG_ACTION_MAX);
		decode_text(&r, out->offers[i].scope, NC_DRVPKG_SCOPE_MAX);
	}
	out->n_offers = (uint32_t)n_offers;
	nc_wire_decode_raw(&r, out->image_hash, NC_DRVPKG_HASH_BYTES);
	if (nc_wire_reader_finish(&r) || format != NC_DRVPKG_FORMAT || nc_drvpkg_manifest_check(out))
		return NC_DRVPKG_ERR_MANIFEST;
	return NC_DRVPKG_OK;
}

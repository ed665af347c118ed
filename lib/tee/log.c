/* The measurement log (nc/tee.h): a BLAKE3 running register over postcard
 * entries, like a TPM PCR with its event log, and its encoding for
 * TeeMeasurementLog and verifiers. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee.h>
#include <nc/wire.h>

enum { LOG_VERSION = 1, ENTRY_MAX_BYTES = 1 + 1 + NC_TEE_LOG_NAME_MAX + NC_TEE_MEASUREMENT_BYTES };
static const uint8_t log_magic[4] = { 'N', 'C', 'M', 'L' };

void nc_tee_log_init(nc_tee_log_t *log, nc_tee_log_entry_t *storage, uint32_t cap)
{
	nc_mem_set(log, 0, sizeof *log);
	log->entries = storage;
	log->cap = cap;
}

static void encode_entry(nc_wire_writer_t *w, const nc_tee_log_entry_t *e)
{
	nc_wire_encode_u8(w, e->kind);
	nc_wire_encode_str(w, e->name, e->name_len);
	nc_wire_encode_raw(w, e->digest, NC_TEE_MEASUREMENT_BYTES);
}

void nc_tee_log_next(uint8_t reg[NC_TEE_MEASUREMENT_BYTES], const nc_tee_log_entry_t *e)
{
	uint8_t buf[ENTRY_MAX_BYTES];
	nc_wire_writer_t w;
	nc_crypto_blake3_t h;
	nc_wire_writer_init(&w, buf, sizeof buf);
	encode_entry(&w, e);
	nc_crypto_blake3_init(&h);
	nc_crypto_blake3_update(&h, reg, NC_TEE_MEASUREMENT_BYTES);
	nc_crypto_blake3_update(&h, buf, w.len_bytes);
	nc_crypto_blake3_finalize(&h, 0, reg, NC_TEE_MEASUREMENT_BYTES);
}

/* A well-formed entry from its parts; false when the kind or name is not. */
static bool make_entry(nc_tee_log_entry_t *e, uint32_t kind, const char *name, size_t name_len,
		       const uint8_t digest[NC_TEE_MEASUREMENT_BYTES])
{
	nc_mem_set(e, 0, sizeof *e);
	if (kind == 0 || kind > UINT8_MAX || name_len == 0 || name_len > NC_TEE_LOG_NAME_MAX ||
	    !nc_wire_utf8_valid((const uint8_t *)name, name_len))
		return false;
	e->kind = (uint8_t)kind;
	e->name_len = (uint8_t)name_len;
	nc_mem_copy(e->name, name, name_len);
	nc_mem_copy(e->digest, digest, NC_TEE_MEASUREMENT_BYTES);
	return true;
}

nc_tee_err_t nc_tee_log_extend(nc_tee_log_t *log, nc_tee_log_kind_t kind, const char *name,
			       size_t name_len, const uint8_t digest[NC_TEE_MEASUREMENT_BYTES])
{
	nc_tee_log_entry_t e;
	if (kind == 0)
		return NC_TEE_ERR_FORMAT;
	if (!make_entry(&e, kind, name, name_len, digest))
		return NC_TEE_ERR_TOO_LONG;
	nc_tee_log_next(log->current, &e);
	if (log->n_entries < log->cap)
		log->entries[log->n_entries] = e;
	log->n_entries++;
	return NC_TEE_OK;
}

void nc_tee_log_read(void *log, nc_tee_registers_t *out)
{
	const nc_tee_log_t *l = log;
	nc_mem_copy(out->boot, l->boot, NC_TEE_MEASUREMENT_BYTES);
	nc_mem_copy(out->current, l->current, NC_TEE_MEASUREMENT_BYTES);
	out->n_entries = l->n_entries;
}

void nc_tee_log_end_boot(nc_tee_log_t *log)
{
	if (log->boot_ended)
		return;
	nc_mem_copy(log->boot, log->current, NC_TEE_MEASUREMENT_BYTES);
	log->n_boot = log->n_entries;
	log->boot_ended = true;
}

bool nc_tee_log_contains(const nc_tee_log_t *log, nc_tee_log_kind_t kind, const char *name,
			 size_t name_len, const uint8_t digest[NC_TEE_MEASUREMENT_BYTES])
{
	uint32_t stored = log->n_entries < log->cap ? log->n_entries : log->cap;
	for (uint32_t i = 0; i < stored; i++) {
		const nc_tee_log_entry_t *e = &log->entries[i];
		if (e->kind == kind && e->name_len == name_len && nc_mem_compare(e->name, name, name_len) == 0 &&
		    nc_mem_compare(e->digest, digest, NC_TEE_MEASUREMENT_BYTES) == 0)
			return true;
	}
	return false;
}

nc_tee_err_t nc_tee_log_encode(const nc_tee_log_t *log, uint8_t *out, size_t cap, size_t *len_out)
{
	uint32_t stored = log->n_entries < log->cap ? log->n_entries : log->cap;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap);
	nc_wire_encode_raw(&w, log_magic, sizeof log_magic);
	nc_wire_encode_u8(&w, LOG_VERSION);
	nc_wire_encode_u32(&w, log->n_boot);
	nc_wire_encode_u32(&w, log->n_entries);
	nc_wire_encode_raw(&w, log->boot, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_encode_raw(&w, log->current, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_encode_len(&w, stored);
	for (uint32_t i = 0; i < stored; i++)
		encode_entry(&w, &log->entries[i]);
	if (w.err)
		return NC_TEE_ERR_TOO_SMALL;
	*len_out = w.len_bytes;
	return NC_TEE_OK;
}

static nc_tee_err_t decode_entries(nc_wire_reader_t *r, nc_tee_log_t *log, size_t n)
{
	uint8_t boot[NC_TEE_MEASUREMENT_BYTES] = { 0 };
	for (size_t i = 0; i < n; i++) {
		uint8_t kind, digest[NC_TEE_MEASUREMENT_BYTES];
		const char *name;
		size_t name_len;
		nc_wire_decode_u8(r, &kind);
		nc_wire_decode_str(r, NC_TEE_LOG_NAME_MAX, &name, &name_len);
		nc_wire_decode_raw(r, digest, sizeof digest);
		if (r->err || !make_entry(&log->entries[i], kind, name, name_len, digest))
			return NC_TEE_ERR_FORMAT;
		nc_tee_log_next(log->current, &log->entries[i]);
		if (i + 1 == log->n_boot)
			nc_mem_copy(boot, log->current, sizeof boot);
	}
	/* the boot part is always stored whole when it is stored at all */
	if (n >= log->n_boot && nc_mem_compare(boot, log->boot, sizeof boot) != 0)
		return NC_TEE_ERR_FORMAT;
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_log_decode(const uint8_t *in, size_t len, nc_tee_log_t *log,
			       nc_tee_log_entry_t *storage, uint32_t cap, bool *complete)
{
	uint8_t magic[4], version, recorded[NC_TEE_MEASUREMENT_BYTES];
	size_t n;
	nc_wire_reader_t r;
	nc_tee_log_init(log, storage, cap);
	nc_wire_reader_init(&r, in, len);
	nc_wire_decode_raw(&r, magic, sizeof magic);
	nc_wire_decode_u8(&r, &version);
	if (r.err || nc_mem_compare(magic, log_magic, sizeof magic) != 0)
		return NC_TEE_ERR_FORMAT;
	if (version != LOG_VERSION)
		return NC_TEE_ERR_VERSION;
	nc_wire_decode_u32(&r, &log->n_boot);
	nc_wire_decode_u32(&r, &log->n_entries);
	nc_wire_decode_raw(&r, log->boot, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_decode_raw(&r, recorded, sizeof recorded);
	nc_wire_decode_len(&r, log->n_entries, &n);
	if (r.err || log->n_boot > log->n_entries)
		return NC_TEE_ERR_FORMAT;
	if (n > cap)
		return NC_TEE_ERR_TOO_SMALL;
	nc_tee_err_t err = decode_entries(&r, log, n);
	if (err || nc_wire_reader_finish(&r))
		return NC_TEE_ERR_FORMAT;
	/* a whole log must replay to its recorded register; a partial one cannot */
	if (n == log->n_entries && nc_mem_compare(log->current, recorded, sizeof recorded) != 0)
		return NC_TEE_ERR_FORMAT;
	log->boot_ended = true;
	log->cap = (uint32_t)n; /* so the stored entries are the first min(n_entries, cap) */
	*complete = n == log->n_entries;
	nc_mem_copy(log->current, recorded, sizeof recorded);
	return NC_TEE_OK;
}

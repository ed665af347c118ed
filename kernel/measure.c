/* The kernel's measurement log (kernel/include/kernel/measure.h). */
#include <kernel/measure.h>
#include <kernel/spinlock.h>
#include <nc/crypto.h>
#include <nc/mem.h>

/* BLAKE3 is fed a chunk at a time: given a large buffer at once, the
 * official code recurses over subtrees with ~1.4 KiB frames (arrays sized for
 * 16-way SIMD even in the portable build), which a 16 KiB kernel stack cannot
 * hold for a program of a few hundred KiB. The digest is the same. */
enum { HASH_STEP_BYTES = 1024 };

static spinlock_t lock = SPINLOCK_INIT; /* guards log, storage, started */
static nc_tee_log_entry_t storage[MEASURE_LOG_ENTRIES];
static nc_tee_log_t log;
/* initrd files already measured as programs (by address), and how many */
static const uint8_t *started[MEASURE_LOG_ENTRIES];
static uint32_t n_started;

void measure_init(const nc_boot_info_t *bi)
{
	nc_tee_log_init(&log, storage, MEASURE_LOG_ENTRIES);
	nc_tee_log_extend(&log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, bi->measurements.kernel);
	nc_tee_log_extend(&log, NC_TEE_LOG_INITRD, "initrd", 6, bi->measurements.initrd);
	nc_tee_log_extend(&log, NC_TEE_LOG_CMDLINE, "cmdline", 7, bi->measurements.cmdline);
	nc_tee_log_end_boot(&log);
}

/* The part of name a log entry keeps: at most NC_TEE_LOG_NAME_MAX bytes from
 * its end, not starting inside a UTF-8 sequence. */
static const char *fit_name(const char *name, size_t *len)
{
	if (*len == 0) {
		*len = 1;
		return "?";
	}
	while (*len > NC_TEE_LOG_NAME_MAX || ((uint8_t)name[0] & 0xc0) == 0x80) {
		name++;
		(*len)--;
	}
	return *len ? name : (*len = 1, "?");
}

/* Extend the log; the caller holds lock. */
static void extend_locked(nc_tee_log_kind_t kind, const char *name, size_t name_len,
			  const uint8_t digest[NC_TEE_MEASUREMENT_BYTES])
{
	name = fit_name(name, &name_len);
	/* a name that is not UTF-8 cannot be logged as text: log the entry as "?" */
	if (nc_tee_log_extend(&log, kind, name, name_len, digest) != NC_TEE_OK)
		nc_tee_log_extend(&log, kind, "?", 1, digest);
}

void measure_extend(nc_tee_log_kind_t kind, const char *name, size_t name_len,
		    const uint8_t digest[NC_TEE_MEASUREMENT_BYTES])
{
	uint64_t f = spin_lock(&lock);
	extend_locked(kind, name, name_len, digest);
	spin_unlock(&lock, f);
}

static void hash(uint8_t digest[NC_TEE_MEASUREMENT_BYTES], const uint8_t *data, size_t len_bytes)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init(&h);
	for (size_t at = 0; at < len_bytes; at += HASH_STEP_BYTES)
		nc_crypto_blake3_update(&h, data + at,
					len_bytes - at < HASH_STEP_BYTES ? len_bytes - at : HASH_STEP_BYTES);
	nc_crypto_blake3_finalize(&h, 0, digest, NC_TEE_MEASUREMENT_BYTES);
}

void measure_extend_data(nc_tee_log_kind_t kind, const char *name, size_t name_len, const void *data,
			 size_t len_bytes)
{
	uint8_t digest[NC_TEE_MEASUREMENT_BYTES];
	hash(digest, data, len_bytes);
	measure_extend(kind, name, name_len, digest);
}

static bool seen(const uint8_t *file)
{
	for (uint32_t i = 0; i < n_started; i++)
		if (started[i] == file)
			return true;
	return false;
}

void measure_program(const char *path, const uint8_t *file, size_t len_bytes)
{
	uint64_t f = spin_lock(&lock);
	bool known = seen(file);
	spin_unlock(&lock, f);
	if (known)
		return;
	uint8_t digest[NC_TEE_MEASUREMENT_BYTES];
	hash(digest, file, len_bytes);
	f = spin_lock(&lock);
	/* another CPU may have measured it meanwhile */
	if (!seen(file)) {
		if (n_started < MEASURE_LOG_ENTRIES)
			started[n_started++] = file;
		extend_locked(NC_TEE_LOG_PROGRAM, path, nc_str_len(path), digest);
	}
	spin_unlock(&lock, f);
}

void measure_registers(void *ctx, nc_tee_registers_t *out)
{
	uint64_t f = spin_lock(&lock);
	nc_tee_log_read(&log, out);
	spin_unlock(&lock, f);
}

nc_tee_err_t measure_encode(uint8_t *out, size_t cap, size_t *len_out)
{
	uint64_t f = spin_lock(&lock);
	nc_tee_err_t err = nc_tee_log_encode(&log, out, cap, len_out);
	spin_unlock(&lock, f);
	return err;
}

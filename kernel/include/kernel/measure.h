/* The kernel's measurement log (docs/attestation.md): lib/tee's running
 * BLAKE3 register plus its entries. The loader's three digests (kernel file,
 * initrd, command line) are the boot part, whose register is the image
 * measurement quotes carry and seals bind to. After boot the kernel extends
 * the log for everything it starts:
 *   - programs: the first start of each initrd executable (measure_program,
 *     called by process_spawn);
 *   - driver packages: DriverLoad calls measure_extend(NC_TEE_LOG_DRIVER,
 *     package name, BLAKE3 of the package) before it starts the driver;
 *   - user-space services: ServiceRegister calls
 *     measure_extend(NC_TEE_LOG_SERVICE, service name, BLAKE3 of its image).
 * The log stores MEASURE_LOG_ENTRIES entries; later ones still extend the
 * register and are counted, so a verifier sees the log is incomplete.
 *
 * SMP-safe: one spinlock guards the log, held only to copy or extend (the
 * hashing happens before). Nothing here allocates or sleeps; callable from
 * any thread context, not from interrupt handlers. */
#ifndef KERNEL_MEASURE_H
#define KERNEL_MEASURE_H

#include <nc/boot_info.h>
#include <nc/tee.h>
#include <stddef.h>
#include <stdint.h>

enum { MEASURE_LOG_ENTRIES = 128 };

/* Start the log with the loader's measurements and end its boot part. Once,
 * at boot, before any other call. */
void measure_init(const nc_boot_info_t *bi);
/* Extend by one entry. A name longer than NC_TEE_LOG_NAME_MAX keeps its last
 * NC_TEE_LOG_NAME_MAX bytes (at a character boundary); an empty one is
 * logged as "?". */
void measure_extend(nc_tee_log_kind_t kind, const char *name, size_t name_len,
		    const uint8_t digest[NC_TEE_MEASUREMENT_BYTES]);
/* measure_extend with digest = BLAKE3(data[0..len_bytes)). */
void measure_extend_data(nc_tee_log_kind_t kind, const char *name, size_t name_len, const void *data,
			 size_t len_bytes);
/* A program started from the initrd file at file[0..len_bytes): measured
 * the first time this file is started (the initrd never changes, so its
 * files are told apart by address; once MEASURE_LOG_ENTRIES files have
 * started, each start of a further one is measured). */
void measure_program(const char *path, const uint8_t *file, size_t len_bytes);
/* The registers now (a measurement source for lib/tee: ctx is unused). */
void measure_registers(void *ctx, nc_tee_registers_t *out);
/* The encoded log (nc_tee_log_encode) into out[0..cap). Errors:
 * NC_TEE_ERR_TOO_SMALL. */
nc_tee_err_t measure_encode(uint8_t *out, size_t cap, size_t *len_out);

#endif

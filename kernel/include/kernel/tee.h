/* The kernel's TEE (docs/attestation.md): lib/tee's development backend over
 * the device secret and certificate the loader passed and over the kernel's
 * measurement log (kernel/measure.c). The Tee* system calls are served in
 * the kernel (kernel/sys_tee.c) because the kernel holds both the
 * measurements and the device secret: it is the TCB a quote speaks for, and
 * a user-space service would only add itself to that TCB. Quotes are
 * verified against the development vendor root compiled into the kernel
 * (the build's build/tee/vendor-root.pub).
 * SMP-safe after tee_init: the backend only reads its state and reads the log
 * through measure_registers; nothing here sleeps or allocates. */
#ifndef KERNEL_TEE_H
#define KERNEL_TEE_H

#include <nc/boot_info.h>
#include <nc/tee.h>

/* The development vendor root's public key (generated: build/gen/tee/vendor_root.c). */
extern const uint8_t tee_vendor_root[NC_TEE_PUBLIC_KEY_BYTES];

/* Open the backend from the kernel's copy of the loader's device data and
 * wipe the secret there and in the loader's own copy (loader_tee, still
 * mapped). After measure_init. Without a secret the kernel has no TEE
 * device: tee_device() is NULL and the device calls answer UNSUPPORTED. */
void tee_init(nc_boot_tee_t *tee, nc_boot_tee_t *loader_tee);
/* The open device, or NULL. */
const nc_tee_t *tee_device(void);
/* True when the device has a vendor certificate (it can quote). */
bool tee_certified(void);
/* The roots quotes are verified against. */
const nc_tee_roots_t *tee_roots(void);

#endif

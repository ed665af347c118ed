/* The driver-signing public keys the kernel trusts: DriverLoad accepts a
 * package only when one of them signed it. The build generates the table
 * from the key it makes under build/keys/ (kernel/build.mk); the key's
 * secret half never leaves build/ and is never committed. */
#ifndef KERNEL_DRIVER_KEYS_H
#define KERNEL_DRIVER_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <nc/drvpkg.h>

extern const uint8_t driver_trusted_keys[][NC_DRVPKG_KEY_BYTES];
extern const size_t driver_trusted_key_count;

#endif

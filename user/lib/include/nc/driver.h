/* What a user-space driver learns at start (docs/drivers.md): DriverLoad
 * passes the argument string "pci=SSSS:BB:DD.F id=VVVV:DDDD barI=0xPHYS:0xLEN
 * ... vectors=N" naming the claimed function and each BAR its manifest
 * declared. nc_driver_parse reads it; nc_driver_map_bar maps a BAR with
 * MmioMap (the MSI-X table and PBA pages stay unmapped: the kernel's). */
#ifndef NC_DRIVER_H
#define NC_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/syscalls.h>

enum { NC_DRIVER_BARS = 6 };

typedef struct {
	uint64_t bdf;
	char pci[16];                       /* "SSSS:BB:DD.F" */
	uint16_t vendor, device;
	uint64_t bar_phys[NC_DRIVER_BARS];  /* 0: not declared */
	uint64_t bar_bytes[NC_DRIVER_BARS];
	uint32_t vectors;
} nc_driver_args_t;

/* Parse arg[0..len); false when it is not the kernel's driver argument. */
bool nc_driver_parse(const char *arg, size_t len, nc_driver_args_t *out);
/* Map declared BAR i: *regs gets its user address. Errors: INVALID (not
 * declared), those of MmioMap. */
nc_sys_err_t nc_driver_map_bar(const nc_driver_args_t *a, int i, volatile uint8_t **regs);
/* The device manager's control channel: the first channel endpoint in the
 * table (0: none). */
uint64_t nc_driver_control_channel(void);
/* N of the device manager's first message "instance N" on ch (waits up to
 * 2 s; 0 when nothing or something else came). */
unsigned nc_driver_instance(uint64_t ch);

#endif

/* Loading user programs: an ELF64 executable (validated by lib/elf) into a
 * fresh vspace, and the initial user stack. Layout of a new process:
 *   EXEC_IMAGE_LO .. EXEC_IMAGE_HI       the program's PT_LOAD segments
 *   EXEC_MAP_BASE ..                     MemMap allocations (growing up)
 *   EXEC_STACK_TOP - EXEC_STACK_BYTES    the main thread's stack, an unmapped
 *                                        guard page below it */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/vm.h>
#include <nc/abi.h>

#define EXEC_IMAGE_LO 0x400000ull
#define EXEC_IMAGE_HI 0x0000100000000000ull
#define EXEC_MAP_BASE 0x0000100000000000ull
#define EXEC_MAP_LIMIT 0x00007f0000000000ull
#define EXEC_STACK_TOP 0x00007fffff000000ull
#define EXEC_STACK_BYTES (64ull << 10)

/* Map the executable file[0..len) into vs; *entry gets its entry point.
 * Errors: BAD_EXECUTABLE, NO_MEMORY, LIMIT (vs's quota; vs may hold part of
 * the image: destroy it). */
nc_sys_err_t exec_load(vspace_t *vs, const uint8_t *file, size_t len_bytes, uint64_t *entry);
/* Map the stack and copy arg[0..arg_len) to its top. *rsp gets the initial
 * stack pointer, *arg_user the argument's user address. Errors: NO_MEMORY,
 * LIMIT. */
nc_sys_err_t exec_setup_stack(vspace_t *vs, const char *arg, uint64_t arg_len, uint64_t *rsp,
			      uint64_t *arg_user);

#endif

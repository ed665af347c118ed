/* The kernel's own symbol table, embedded by a second link pass
 * (kernel/ksyms.py from `nm`), for symbolized backtraces. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdbool.h>
#include <stdint.h>

/* The function containing addr (a run-time address: the image may have
 * moved): its name and addr's offset into it; false outside the image or
 * before its first function. */
bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset);

#endif

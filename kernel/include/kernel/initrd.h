/* The boot initrd as the kernel sees it: read-only, kept in memory for the
 * kernel's lifetime (pmm_reclaim_loader leaves it alone). */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void initrd_init(uint64_t phys, uint64_t size_bytes);
/* The regular file at path[0..path_len): true and its bytes, or false. */
bool initrd_lookup(const char *path, size_t path_len, const uint8_t **data, size_t *len_bytes);
/* The whole archive (for directory listings with lib/initrd's iterator). */
void initrd_archive(const uint8_t **buf, size_t *len_bytes);

#endif

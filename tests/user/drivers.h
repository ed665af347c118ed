/* Helpers of the driver and block tests (driver_tests.c, blk_tests.c,
 * blk_random_tests.c, blk_timeout_tests.c), which run in the drivers boot under devmgr --control. */
#ifndef TESTS_USER_DRIVERS_H
#define TESTS_USER_DRIVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Send cmd to the device manager's control channel and wait for its answer
 * (NUL-terminated in reply); true when it starts with "ok". The channel is
 * the first channel endpoint of this process, found on the first call. */
bool drv_devmgr(const char *cmd, char *reply, size_t cap);
/* Where a package's manifest bytes start, and its image's length (0: not a package). */
size_t drv_manifest_offset(const uint8_t *pkg, size_t len);
size_t drv_image_len(const uint8_t *pkg, size_t len);


/* blk.random_with_driver_kills (blk_random_tests.c), blk.timeout_and_reset and
 * blk.failed_reset_restarts_driver (blk_timeout_tests.c), tests of ut_blk_tests. */
bool blk_random_test(void);
bool blk_timeout_test(void);
bool blk_failed_reset_test(void);

#endif

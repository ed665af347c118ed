# tests/user: the in-OS user tests (usertests), started by init in the test
# image. user/build.mk (included after this file) builds the program with
# nc_user_prog from this list.
USERTESTS_SRCS := $(NC_TEST_USER_SRCS) tests/user/usertests.c tests/user/fault_tests.c tests/user/proc_tests.c tests/user/heap_tests.c \
	tests/user/smp_tests.c tests/user/ut_sys.c tests/user/abi_tests.c tests/user/handle_tests.c \
	tests/user/fs_tests.c tests/user/io_tests.c tests/user/cap_tests.c tests/user/ipc_tests.c \
	tests/user/ipc_short_tests.c tests/user/inbox_tests.c tests/user/jobctl_tests.c \
	tests/user/stdin_tests.c tests/user/shm_tests.c tests/user/display_tests.c tests/user/service_tests.c tests/user/svc_memfs.c \
	tests/user/driver_tests.c tests/user/drivers.c tests/user/blk_tests.c tests/user/blk_random_tests.c tests/user/blk_timeout_tests.c \
	tests/user/net_tests.c tests/user/svc_netfake.c tests/user/netsvc_tests.c tests/user/netsvc_bulk_tests.c tests/user/netsvc_driver_tests.c \
	tests/user/netqemu_tests.c \
	tests/user/fuzz_tests.c tests/user/tee_tests.c tests/user/disk_tests.c tests/user/quota_tests.c tests/user/mem_tests.c tests/user/token_tests.c tests/user/privacy_tests.c tests/lib/cap/cap_test_util.c
# tee_tests.c makes quotes and reads logs with lib/tee (user flavour); the driver tests read
# packages with lib/drvpkg; token_tests.c attenuates tokens offline with lib/cap and the
# lib/cap tests' forger.
USERTESTS_LIBS := drvpkg cap tee wire scope crypto sodium_nc blake3_nc
# chain: spawns itself ever deeper (quota_tests.c, process.depth_*).
CHAIN_SRCS := tests/user/chain.c
# IPC ping-pong on a single CPU (a private one-CPU boot of the test image).
NC_SCRIPT_TESTS += tests/user/ipc_same_cpu_test.sh
NC_TEST_DEPS += $(B)/esp-test.img
# Drivers, the IOMMU and the block service in a boot of their own (NVMe + intel-iommu).
NC_SCRIPT_TESTS += tests/user/drivers_qemu_test.sh
# The file-system service over the NVMe disk, judged by e2fsprogs afterwards.
NC_SCRIPT_TESTS += tests/user/fsd_qemu_test.sh
# Power cuts while fscrash writes files on /disk (fscrash_qemu_test.py).
FSCRASH_SRCS := tests/user/fscrash.c $(NC_TEST_RANDOM_SRCS)
NC_SCRIPT_TESTS += tests/user/fscrash_qemu_test.sh

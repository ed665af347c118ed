# tests/user: the in-OS user tests (usertests), started by init in the test
# image. user/build.mk (included after this file) builds the program with
# nc_user_prog from this list.
USERTESTS_SRCS := tests/user/usertests.c tests/user/fault_tests.c tests/user/proc_tests.c \
	tests/user/smp_tests.c tests/user/ut_sys.c tests/user/abi_tests.c tests/user/handle_tests.c \
	tests/user/fs_tests.c tests/user/io_tests.c tests/user/cap_tests.c tests/user/ipc_tests.c \
	tests/user/fuzz_tests.c

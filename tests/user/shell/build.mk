# The shell core, on the host (user/shell minus the NexaCore entry point).
SHELL_CORE_SRCS := user/shell/shell.c user/shell/grant.c user/shell/core_cmds.c \
	user/shell/jobs.c user/shell/typeahead.c
SHELL_TEST_SRCS := tests/user/shell/shell_test.c tests/user/shell/jobs_test.c \
	tests/user/shell/typeahead_test.c
$(call nc_host_test,shell_test,$(SHELL_TEST_SRCS) tests/harness/nc_test_screen.c $(SHELL_CORE_SRCS),lineedit args cap wire crypto blake3_nc scope,$(NC_CRYPTO_LDLIBS))
$(call nc_objs,$(SHELL_TEST_SRCS) $(SHELL_CORE_SRCS),host): NC_INC += -Iuser/shell
NC_SCRIPT_TESTS += tests/user/shell/shell_qemu_test.sh
NC_TEST_DEPS += $(B)/esp.img

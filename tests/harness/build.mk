# tests/harness: the test harness (nc_test.h; its sources are NC_TEST_SRCS and
# NC_TEST_USER_SRCS, mk/rules.mk) and the host test of its selection rule.
$(call nc_host_test,harness_test,tests/harness/selection_test.c,)

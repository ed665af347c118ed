# tests/harness: the test harness (nc_test.h; its sources are NC_TEST_SRCS and
# NC_TEST_USER_SRCS, mk/rules.mk), the host test of its selection rule and the
# script test of its ordered-case runner (cases_test.sh runs cases_probe).
$(call nc_host_test,harness_test,tests/harness/selection_test.c,)
$(call nc_host_prog,harness_cases_probe,tests/harness/cases_probe.c $(NC_TEST_SRCS),base,host)
NC_SCRIPT_TESTS += tests/harness/cases_test.sh
NC_TEST_DEPS += $(B)/host/bin/harness_cases_probe

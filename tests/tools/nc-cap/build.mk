NC_SCRIPT_TESTS += tests/tools/nc-cap/nc_cap_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-cap

NC_SCRIPT_TESTS += tests/tools/nc-tee/nc_tee_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-tee

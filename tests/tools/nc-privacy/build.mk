NC_SCRIPT_TESTS += tests/tools/nc-privacy/nc_privacy_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-privacy

NC_SCRIPT_TESTS += tests/tools/ncs/ncs_cli_test.sh
NC_TEST_DEPS += build/host/bin/ncs
NC_SCRIPT_TESTS += tests/tools/ncs/ncs_oracle_test.sh

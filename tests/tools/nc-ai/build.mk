# tests/tools/nc-ai: the nc-ai command line.
NC_SCRIPT_TESTS += tests/tools/nc-ai/nc_ai_test.sh
NC_TEST_DEPS += build/host/bin/nc-ai

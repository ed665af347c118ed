# tests/lib/term: lib/term. term_test (host and libtests); term_dump feeds a
# stream to lib/term for term_pyte_test.py, which compares with pyte.
$(call nc_host_test,term_test,tests/lib/term/term_test.c,term)
$(call nc_host_prog,term_dump,tests/lib/term/term_dump.c,term base,host)
NC_SCRIPT_TESTS += tests/lib/term/term_pyte_test.sh
NC_TEST_DEPS += $(B)/host/bin/term_dump

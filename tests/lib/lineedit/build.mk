$(call nc_host_test,lineedit_test,tests/lib/lineedit/lineedit_test.c tests/harness/nc_test_screen.c,lineedit)

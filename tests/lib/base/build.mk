$(call nc_host_test,base_test,tests/lib/base/mem_test.c tests/lib/base/fmt_test.c tests/lib/base/utf8_test.c tests/lib/base/fmt_oracle_test.c \
	tests/lib/base/sort_test.c tests/lib/base/civil_host_test.c tests/lib/base/hex_host_test.c,)

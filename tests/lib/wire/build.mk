$(call nc_host_test,wire_test,tests/lib/wire/writer_test.c tests/lib/wire/reader_test.c,wire)

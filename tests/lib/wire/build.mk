$(call nc_host_test,wire_test,tests/lib/wire/writer_test.c tests/lib/wire/reader_test.c,wire)
$(call nc_fuzz,wire_reader_fuzz,tests/lib/wire/reader_fuzz.c lib/wire/wire.c lib/wire/reader.c \
	lib/wire/writer.c $(NC_BASE_SRCS))

# tests/user/fsd: the file-system service's answers (user/fsd/serve.c) on the host, against an
# image made by mke2fs, e2fsck judging the result.
FSD_SERVE_TEST_SRCS := tests/user/fsd/serve_host_test.c user/fsd/serve.c $(NC_FS_TEST_UTIL)
$(call nc_host_test,fsd_serve_host_test,$(FSD_SERVE_TEST_SRCS),fs)
$(call nc_objs,tests/user/fsd/serve_host_test.c user/fsd/serve.c,host): | $(NC_GENERATED)

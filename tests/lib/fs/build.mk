# tests/lib/fs: lib/fs against e2fsprogs (mke2fs writes the images, e2fsck and debugfs judge
# ours). Host only: they run the Debian tools.
NC_FS_TEST_UTIL := tests/lib/fs/fs_test_util.c tools/nc-fs/host_dev.c
NC_FS_MODEL := tests/lib/fs/fs_model.c
$(call nc_host_test,fs_image_host_test,tests/lib/fs/image_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_model_host_test,tests/lib/fs/model_host_test.c $(NC_FS_MODEL) $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_hash_host_test,tests/lib/fs/hash_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_journal_host_test,tests/lib/fs/journal_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_crash_host_test,tests/lib/fs/crash_host_test.c $(NC_FS_MODEL) $(NC_FS_TEST_UTIL),fs)

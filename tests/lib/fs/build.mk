# tests/lib/fs: lib/fs against e2fsprogs (mke2fs writes the images, e2fsck and debugfs judge
# ours). Host only: they run the Debian tools.
NC_FS_TEST_UTIL := tests/lib/fs/fs_test_util.c tools/nc-fs/host_dev.c
NC_FS_MODEL := tests/lib/fs/fs_model.c
$(call nc_host_test,fs_image_host_test,tests/lib/fs/image_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_model_host_test,tests/lib/fs/model_host_test.c $(NC_FS_MODEL) $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_hash_host_test,tests/lib/fs/hash_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_journal_host_test,tests/lib/fs/journal_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_crash_host_test,tests/lib/fs/crash_host_test.c $(NC_FS_MODEL) $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_corrupt_host_test,tests/lib/fs/corrupt_host_test.c $(NC_FS_TEST_UTIL),fs)
$(call nc_host_test,fs_api_host_test,tests/lib/fs/api_host_test.c $(NC_FS_TEST_UTIL),fs)
# Fuzzing mount and operations on mutated images (make fuzz); base images from e2fsprogs,
# committed seeds (small op scripts) copied into the corpus.
$(call nc_fuzz,fs_fuzz,tests/lib/fs/fs_fuzz.c $(NC_FS_SRC) lib/base/mem.c lib/base/fmt.c)
$(B)/fuzz/fs_fuzz: $(B)/fuzz/fs-base/base4k.img
$(B)/fuzz/fs-base/base4k.img: tests/lib/fs/make_fuzz_images.sh
	$(Q)bash tests/lib/fs/make_fuzz_images.sh $(dir $@) > /dev/null
$(B)/fuzz/fs_fuzz.seeded: $(wildcard tests/lib/fs/fuzz_seeds/*)
	@mkdir -p $(B)/fuzz/corpus/fs_fuzz && cp tests/lib/fs/fuzz_seeds/* $(B)/fuzz/corpus/fs_fuzz/ && touch $@
fuzz: $(B)/fuzz/fs_fuzz.seeded

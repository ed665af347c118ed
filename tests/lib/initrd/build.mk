$(call nc_host_test,initrd_host_test,tests/lib/initrd/initrd_host_test.c,initrd)
# Fuzzing (make fuzz): the reader with its promises checked; seeds are small
# archives GNU tar writes (tests/lib/initrd/fuzz_seeds.sh), made before it is built.
$(call nc_fuzz,initrd_fuzz,tests/lib/initrd/initrd_fuzz.c lib/initrd/initrd.c $(NC_BASE_SRCS))
$(B)/fuzz/initrd_fuzz: $(B)/fuzz/corpus/initrd_fuzz/.seeded
$(B)/fuzz/corpus/initrd_fuzz/.seeded: tests/lib/initrd/fuzz_seeds.sh
	$(Q)bash $< $(dir $@) && touch $@

$(call nc_host_test,elf_test,tests/lib/elf/elf_test.c,elf)
# Fuzzing (make fuzz): the parser with its promises checked; seeds are the
# user programs, stripped (small real executables), made before it is built.
$(call nc_fuzz,elf_fuzz,tests/lib/elf/elf_fuzz.c lib/elf/elf.c $(NC_BASE_SRCS))
ELF_FUZZ_SEEDS := $(B)/user/bin/hello $(B)/user/bin/upcase $(B)/user/bin/readfile
$(B)/fuzz/elf_fuzz: $(B)/fuzz/corpus/elf_fuzz/.seeded
$(B)/fuzz/corpus/elf_fuzz/.seeded: $(ELF_FUZZ_SEEDS)
	@mkdir -p $(dir $@)
	$(Q)for p in $^; do strip -o $(dir $@)seed-$$(basename $$p) $$p || exit 1; done && touch $@

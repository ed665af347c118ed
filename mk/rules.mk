# Generic rules and the macros build.mk fragments use.
#
#   $(call nc_lib,NAME,SOURCES,FLAVOURS[,DEPS])
#       lib NAME from SOURCES in each flavour -> $(B)/<flavour>/lib/libNAME.a; DEPS are the
#       nc_lib names it depends on besides base (a program linking NAME links them too).
#       Its sources see only their own headers, base's and those of DEPS and what they
#       depend on: the one-way dependency rule (docs/architecture.md, "Layering").
#   $(call nc_host_test,NAME,SOURCES,LIBS[,LDLIBS])
#       host unit test binary $(B)/host/tests/NAME, run by `make test`; LIBS are nc_lib names
#       (link order: dependants first); tests/harness is linked in.
#   Program sources see the headers of the libraries in LIBS and what those depend on, plus
#   tests/harness for sources under tests/, and its random part alone (tests/harness/random,
#   nc_test_random.h; link $(NC_TEST_RANDOM_SRCS)) for those under bench/ (nc_prog_inc).
#   $(call nc_host_prog,NAME,SOURCES,LIBS,FLAVOUR[,LDLIBS])
#       host program $(B)/FLAVOUR/bin/NAME (FLAVOUR host or rel)
#
# Each object records its compile command in NAME.o.json for compile_commands.json.

NC_ALL :=
NC_INITRD_FILES :=
NC_TEST_INITRD_FILES :=
NC_INITRD_DRIVERS :=
NC_GENERATED :=
NC_HOST_TESTS :=
NC_JSON :=

nc_objs = $(patsubst %.c,$(B)/$(2)/%.o,$(patsubst %.S,$(B)/$(2)/%.o,$(1)))

# $(call nc_lib_inc,LIBS): -I for the headers of LIBS, base and every library they depend on
# (NC_LIB_DEPS_<name>, set by nc_lib); names without headers (third-party archives) add none.
# A cycle (a library depending on itself through others) stops the build.
nc_lib_closure = $(sort $(1) $(foreach l,$(1),$(if $(filter $(l),$(2)),$(error lib/$(l) depends on itself: \
	$(2) $(l)),$(call nc_lib_closure,$(NC_LIB_DEPS_$(l)),$(2) $(l)))))
nc_lib_inc = $(patsubst %,-I%,$(wildcard $(patsubst %,lib/%/include,$(call nc_lib_closure,base $(1)))))
# $(call nc_prog_inc,SOURCES,FLAVOUR,LIBS): give the objects of SOURCES the headers of LIBS,
# those under tests/ the test harness too, and those under tests/ and bench/ its random
# part. Private: not passed on to prerequisites.
define nc_prog_inc
$(call nc_objs,$(1),$(2)): private NC_INC += $$(call nc_lib_inc,$(3))
$(call nc_objs,$(filter tests/%,$(1)),$(2)): private NC_INC += -Itests/harness
$(call nc_objs,$(filter tests/% bench/%,$(1)),$(2)): private NC_INC += -Itests/harness/random
endef

Q := $(if $(V),,@)
define nc_compile
@mkdir -p $(dir $@)
$(if $(V),,@echo "  CC  $@")
$(Q)$(1) -MMD -MP -c $< -o $@
@printf '{"directory":"%s","file":"%s","command":"%s"},\n' "$(CURDIR)" "$<" \
  '$(subst ",\",$(1)) -c $< -o $@' > $@.json
endef

$(B)/host/%.o: %.c
	$(call nc_compile,$(HOST_CC) $(CFLAGS_host) $(NC_INC))
$(B)/rel/%.o: %.c
	$(call nc_compile,$(HOST_CC) $(CFLAGS_rel) $(NC_INC))
$(B)/kernel/%.o: %.c
	$(call nc_compile,$(HOST_CC) $(CFLAGS_kernel) $(NC_INC))
$(B)/kernel/%.o: %.S
	$(call nc_compile,$(HOST_CC) $(ASFLAGS_kernel) $(NC_INC))
$(B)/efi/%.o: %.c
	$(call nc_compile,$(HOST_CC) $(CFLAGS_efi) $(NC_INC))
$(B)/user/%.o: %.c
	$(call nc_compile,$(HOST_CC) $(CFLAGS_user) $(NC_INC))
$(B)/wasm/%.o: %.c
	$(call nc_compile,$(WASM_CC) $(CFLAGS_wasm) $(NC_INC))
$(B)/user/%.o: %.S
	$(call nc_compile,$(HOST_CC) $(ASFLAGS_user) $(NC_INC))

define nc_lib_flavour
$(call nc_objs,$(2),$(3)): private NC_INC += $$(call nc_lib_inc,$(1))
$(B)/$(3)/lib/lib$(1).a: $(call nc_objs,$(2),$(3))
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && $(if $(filter wasm,$(3)),$(WASM_AR),$(AR)) rcs $$@ $$^
NC_ALL += $(B)/$(3)/lib/lib$(1).a
NC_JSON += $(addsuffix .json,$(call nc_objs,$(2),$(3)))
-include $(patsubst %.o,%.d,$(call nc_objs,$(2),$(3)))
endef
nc_lib = $(eval NC_LIB_DEPS_$(1) := $(4))$(foreach f,$(3),$(eval $(call nc_lib_flavour,$(1),$(2),$(f))))

nc_libfiles = $(foreach l,$(1),$(B)/$(2)/lib/lib$(l).a)

define nc_host_prog_body
$(call nc_prog_inc,$(2),$(4),$(3))
$(B)/$(4)/bin/$(1): $(call nc_objs,$(2),$(4)) $(call nc_libfiles,$(3),$(4))
	@mkdir -p $$(dir $$@)
	$(if $(V),,@echo "  LD  $$@")
	$(Q)$(HOST_CC) $(LDFLAGS_$(4)) -o $$@ $$^ $(5)
NC_ALL += $(B)/$(4)/bin/$(1)
NC_JSON += $(addsuffix .json,$(call nc_objs,$(2),$(4)))
-include $(patsubst %.o,%.d,$(call nc_objs,$(2),$(4)))
endef

nc_host_prog = $(eval $(call nc_host_prog_body,$(1),$(2),$(3),$(4),$(5)))
# The test harness (tests/harness/nc_test.h): its sources for any flavour, and with the
# NexaCore platform part (nc_test_user.h) for the in-OS test programs.
NC_TEST_RANDOM_SRCS := tests/harness/random/nc_test_random.c
NC_TEST_SRCS := tests/harness/nc_test.c $(NC_TEST_RANDOM_SRCS)
NC_TEST_USER_SRCS := $(NC_TEST_SRCS) tests/harness/nc_test_user.c
nc_host_test = $(call nc_host_prog,$(1),$(2) $(NC_TEST_SRCS) tests/harness/host_main.c,$(3) base,host,$(4))$(eval NC_HOST_TESTS += $(B)/host/bin/$(1))

# $(call nc_fuzz,NAME,SOURCES)
#     libFuzzer target $(B)/fuzz/NAME, built by clang with ASan+UBSan straight from
#     SOURCES (the fuzz driver plus the lib sources it exercises, lib/base included
#     by the caller). `make fuzz` runs each for FUZZ_SECONDS.
NC_FUZZERS :=
# The headers a fuzzer's SOURCES may use: the libraries they come from and the harness.
nc_fuzz_libs = $(sort $(foreach s,$(filter lib/%,$(1)),$(word 2,$(subst /, ,$(s)))))
define nc_fuzz_body
$(B)/fuzz/$(1): $(2)
	@mkdir -p $$(dir $$@)
	$(if $(V),,@echo "  FUZZ $$@")
	$(Q)$(FUZZ_CC) -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D NC_HOSTED=1 -D NC_FUZZ=1 \
		$(NC_INC) $$(call nc_lib_inc,$(call nc_fuzz_libs,$(2))) -Itests/harness -o $$@ $(2)
NC_FUZZERS += $(B)/fuzz/$(1)
endef
nc_fuzz = $(eval $(call nc_fuzz_body,$(1),$(2)))

# $(call nc_bench,NAME,SOURCES,LIBS[,LDLIBS])
#     benchmark program $(B)/rel/bin/NAME (optimised, no sanitizers), run by `make bench`.
#     Benchmarks print ratios against a named baseline measured in the same run.
# NC_BENCH_SCRIPTS += path/to/script.sh   a benchmark script, also run by `make bench`.
NC_BENCHES :=
NC_BENCH_SCRIPTS :=
nc_bench = $(call nc_host_prog,$(1),$(2),$(3) base,rel,$(4))$(eval NC_BENCHES += $(B)/rel/bin/$(1))

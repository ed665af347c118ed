# Top-level targets.
#   NC_HOST_TESTS   host unit-test binaries (nc_host_test adds to it)
#   NC_SCRIPT_TESTS test scripts printing PASS/FAIL lines (CLI tests, QEMU tests)
#   NC_TEST_DEPS    what must be built before the script tests run
.PHONY: all test test-deps run image bench fuzz clean deps screenshot
all: $(NC_ALL) $(B)/compile_commands.json

# Everything the test suite needs built (tests/mk checks it writes no tracked file).
test-deps: all $(NC_TEST_DEPS)

$(B)/compile_commands.json: $(NC_ALL)
	@{ echo '['; cat $(wildcard $(NC_JSON)) /dev/null | sed '$$ s/,$$//'; echo ']'; } > $@

deps:
	@scripts/deps

test: deps
	@$(MAKE) --no-print-directory test-deps
	@scripts/run-tests --host $(NC_HOST_TESTS) --scripts $(NC_SCRIPT_TESTS)

FUZZ_SECONDS ?= 60
fuzz: deps $(NC_FUZZERS)
	@set -e; for f in $(NC_FUZZERS); do \
		mkdir -p $(B)/fuzz/corpus/$$(basename $$f); \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(B)/fuzz/corpus/$$(basename $$f) 2>&1 | tail -n 3; \
	done

bench: deps $(NC_BENCHES)
	@set -e; for b in $(NC_BENCHES); do echo "== $$b"; $$b; done; \
	for s in $(NC_BENCH_SCRIPTS); do echo "== $$s"; bash $$s; done

clean:
	rm -rf $(B)

image: $(B)/esp.img

# GUI=1: a window, and the desktop image (the session instead of the shell).
RUN_IMAGE := $(if $(filter 1,$(GUI)),$(B)/esp-gui.img,$(B)/esp.img)
run: deps
	@$(MAKE) --no-print-directory $(RUN_IMAGE)
	@$(if $(DISK),DISK='$(DISK)') $(if $(NET),NET='$(NET)') $(if $(NET_PORT),NET_PORT='$(NET_PORT)') scripts/qemu-run $(RUN_IMAGE)

# A picture of the desktop with two terminals and the system monitor
# (docs/desktop.md; the README's picture of the console is docs/screenshot.png).
screenshot: deps
	@$(MAKE) --no-print-directory $(B)/esp.img
	@python3 scripts/screenshot.py $(B)/screenshot.png

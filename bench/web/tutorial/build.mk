# bench/web/tutorial: fib(27) and string building in the tutorial page (ncs.wasm in
# headless chromium) against the native ncs, and page load to first run.
NC_BENCH_SCRIPTS += bench/web/tutorial/tutorial_bench.sh

# tests/web/ncs: web/ncs/ncs.js and ncs.wasm in Node (effects, options, tables,
# memory exhaustion, the per-run heap reset).
NC_SCRIPT_TESTS += tests/web/ncs/ncs_js_test.sh
NC_TEST_DEPS += build/web/ncs.wasm

#!/usr/bin/env bash
# web/ncs/ncs.js with ncs.wasm in Node: see ncs_js_test.js.
set -u
cd "$(dirname "$0")/../../.."
exec node tests/web/ncs/ncs_js_test.js

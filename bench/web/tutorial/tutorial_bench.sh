#!/usr/bin/env bash
# See tutorial_bench.js. Needs `make all` (the page and the rel ncs) and scripts/deps.
set -eu
cd "$(dirname "$0")/../../.."
make --no-print-directory build/rel/bin/ncs build/web/tutorial/index.html build/web/tutorial/ncs-worker.js >/dev/null
exec node bench/web/tutorial/tutorial_bench.js

#!/usr/bin/env bash
# See tutorial_bench.js. Needs `make all` (the page and the rel ncs) and scripts/deps.
set -eu
cd "$(dirname "$0")/../../.."
make --no-print-directory build/rel/bin/ncs tutorial-files >/dev/null
exec node bench/web/tutorial/tutorial_bench.js

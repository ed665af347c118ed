#!/usr/bin/env bash
# The ncScript tutorial in headless chromium, and parity with native ncs: see
# tutorial_test.js (prints the PASS/FAIL lines).
set -u
cd "$(dirname "$0")/../../.."
exec node tests/web/tutorial/tutorial_test.js

#!/usr/bin/env bash
# The build writes only under build/: no target that `make all` or the test
# suite's own build (`make test-deps`) would remake is a file git tracks. So
# `make test` never regenerates a committed file (docs/abi.md is refreshed
# only by an explicit `make docs/abi.md`), and tests that compare a committed
# file with its source (tests/abi) compare what is in git.
# Asks make which targets it would remake if every file were out of date
# (-n -B: nothing runs).
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "PASS mk.build_writes_no_tracked_file (not a git checkout: nothing is tracked)"
	exit 0
fi
remade=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -n -B --debug=b all test-deps 2>/dev/null |
	sed -n "s/^ *Must remake target '\(.*\)'\.$/\1/p" | sort -u)
n=$(wc -l <<<"$remade")
tracked=$(git ls-files | sort | comm -12 - <(echo "$remade"))
if [ "$n" -lt 100 ]; then
	echo "FAIL mk.build_writes_no_tracked_file: make listed only $n targets to remake"
elif [ -z "$tracked" ]; then
	echo "PASS mk.build_writes_no_tracked_file ($n targets, none tracked)"
else
	echo "FAIL mk.build_writes_no_tracked_file: the build writes tracked files: $(echo $tracked)"
fi

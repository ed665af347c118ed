#!/usr/bin/env bash
# The harness's ordered-case runner (nc_test_run_cases, used by usertests,
# aitests and dmatest), through tests/harness/cases_probe.c: its PASS/FAIL
# lines, the first failure of a case only, a recorded failure failing a case
# that returns true, only/skip prefix lists, time notes and the exit count,
# against the lines written out here.
set -uo pipefail
cd "$(dirname "$0")/../.."
probe=build/host/bin/harness_cases_probe
# check NAME EXPECTED_STATUS EXPECTED_OUTPUT ARGS...
check() {
	local name=$1 want_rc=$2 want=$3 got rc
	shift 3
	got=$("$probe" "$@")
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		echo "PASS harness.$name"
	else
		echo "FAIL harness.$name: status $rc (want $want_rc), output:"
		diff <(echo "$want") <(echo "$got") | head -20
	fi
}
check cases_print_the_harness_lines 4 "PASS probe.a.passes
FAIL probe.a.fails_with_message: got 1, want 2
FAIL probe.b.fails_a_requirement: tests/harness/cases_probe.c:21: x == 4
FAIL probe.b.returns_false: returned false
FAIL probe.b.fails_twice: first
PASS probe.c.passes
# probe: 2 passed, 4 failed"
check cases_only_and_skip_take_prefix_lists 1 "PASS probe.a.passes
FAIL probe.b.returns_false: returned false
# probe: 1 passed, 1 failed" a.p,b b.fails,b.fails_a
check cases_note_their_time_with_a_clock 0 "# probe.c.passes: 3 ms
PASS probe.c.passes
# probe: 1 passed, 0 failed" c - clock

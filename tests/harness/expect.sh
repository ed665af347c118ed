# Helpers shared by script tests; source it after setting SUITE.
#   pass NAME, fail NAME REASON  print "PASS SUITE.NAME" / "FAIL SUITE.NAME: REASON"
#   expect NAME WANT_RC WANT_TEXT command...
#                                run the command; check its exit status and that
#                                stdout+stderr contains WANT_TEXT
pass() { echo "PASS $SUITE.$1"; }
fail() { echo "FAIL $SUITE.$1: $2"; }
expect() {
	local name=$1 rc_want=$2 text=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$rc_want" ]; then fail "$name" "exit $rc, wanted $rc_want: $out"
	elif [[ "$out" != *"$text"* ]]; then fail "$name" "output lacks '$text': $out"
	else pass "$name"; fi
}

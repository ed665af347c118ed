#!/usr/bin/env bash
# Noise interoperability: our Noise (nc-privacy noise-peer) against an
# independent implementation, npm's noise-handshake 4.2.0 (pinned in
# tests/lib/privacy/oracle, installed by scripts/deps), over TCP on
# 127.0.0.1: patterns XX and IK, our side as initiator and as responder,
# Noise_*_25519_ChaChaPoly_BLAKE2b. Each run checks the handshake payloads,
# one transport message each way, and (XX) that each side learnt the other's
# static key. A run where the IK initiator expects the wrong responder key
# must fail on both sides. Prints PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/../../.."
NC=build/rel/bin/nc-privacy
PEER=tests/lib/privacy/oracle/noise_peer.js
PROLOGUE="NexaCore interop"
S_C=$(printf '1%.0s' {1..64})   # our static private key
S_J=$(printf '2%.0s' {1..64})   # the JavaScript peer's
S_X=$(printf '3%.0s' {1..64})   # a key nobody uses

SUITE=noise_interop
. tests/harness/expect.sh
[ -x "$NC" ] || { fail build "$NC missing"; exit 1; }
[ -d tests/lib/privacy/oracle/node_modules/noise-handshake ] || { fail deps "noise-handshake not installed (scripts/deps)"; exit 1; }
P_C=$($NC noise-key --static "$S_C")
P_J=$($NC noise-key --static "$S_J")
P_X=$($NC noise-key --static "$S_X")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run NAME PATTERN C_ROLE C_REMOTE J_REMOTE: one session; sets RC_C, RC_J, OUT_C, OUT_J.
run() {
	local name=$1 pattern=$2 c_role=$3 c_remote=$4 j_remote=$5 port j_role c_mode j_mode
	port=$(free_port)
	if [ "$c_role" = initiator ]; then j_role=responder c_mode=--connect j_mode=listen
	else j_role=initiator c_mode=--listen j_mode=connect; fi
	node "$PEER" "$j_mode" "$port" "$pattern" "$j_role" "$S_J" "$j_remote" "$PROLOGUE" "from js" "from c" \
		> "$TMP/$name.j" 2>&1 &
	local jpid=$!
	local remote=()
	[ "$c_remote" != - ] && remote=(--remote-static "$c_remote")
	timeout 90 $NC noise-peer "$c_mode" "$port" --pattern "$pattern" --role "$c_role" --static "$S_C" \
		"${remote[@]}" --prologue "$PROLOGUE" --send "from c" --expect "from js" > "$TMP/$name.c" 2>&1
	RC_C=$?
	wait "$jpid"
	RC_J=$?
	OUT_C=$(cat "$TMP/$name.c")
	OUT_J=$(cat "$TMP/$name.j")
}

for pattern in XX IK; do
	for c_role in initiator responder; do
		name="${pattern}_ours_${c_role}"
		c_remote=- j_remote=-
		if [ "$pattern" = IK ]; then
			if [ "$c_role" = initiator ]; then c_remote=$P_J; else j_remote=$P_C; fi
		fi
		run "$name" "$pattern" "$c_role" "$c_remote" "$j_remote"
		if [ "$RC_C" != 0 ] || [ "$RC_J" != 0 ]; then fail "$name" "exit $RC_C/$RC_J: $OUT_C | $OUT_J"
		elif [[ "$OUT_C" != *"recv: from js"* || "$OUT_J" != *"recv: from c"* ]]; then
			fail "$name" "messages: $OUT_C | $OUT_J"
		elif [ "$pattern" = XX ] && { [[ "$OUT_C" != *"remote-static: $P_J"* ]] || [[ "$OUT_J" != *"remote-static: $P_C"* ]]; }; then
			fail "$name" "static keys: $OUT_C | $OUT_J"
		else pass "$name"; fi
	done
done

# IK where our initiator expects another responder key: both sides must fail.
run IK_wrong_key IK initiator "$P_X" -
if [ "$RC_C" != 0 ] && [ "$RC_J" != 0 ]; then pass IK_wrong_responder_key_fails
else fail IK_wrong_responder_key_fails "exit $RC_C/$RC_J: $OUT_C | $OUT_J"; fi

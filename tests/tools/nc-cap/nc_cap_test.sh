#!/usr/bin/env bash
# Script test of tools/nc-cap: prints "PASS name" / "FAIL name: reason" lines.
# The root key expected for device secret 00..1f was computed with Python's
# hmac module and the openssl CLI (see tests/lib/tee/tee_test.c).
set -uo pipefail
cd "$(dirname "$0")/../../.."
NC=build/rel/bin/nc-cap
SECRET=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
OTHER=$(printf 'ff%.0s' {1..32})
NOW=1700000000

SUITE=nc_cap
. tests/harness/expect.sh

[ -x "$NC" ] || { fail build "$NC missing"; exit 1; }

expect root_key_matches_openssl 0 5a3637a0d5544d31e4d97466b53e732bdde7c70059426a562af5839698ad644d \
	$NC root-key --device-secret $SECRET
ROOT=$($NC root-key --device-secret $SECRET)
SECRET_FILE=$(mktemp)
trap 'rm -f "$SECRET_FILE"' EXIT
printf "$(echo "$SECRET" | sed 's/../\\x&/g')" > "$SECRET_FILE"
expect root_key_from_secret_file 0 "$ROOT" $NC root-key --device-secret-file "$SECRET_FILE"

T1=$($NC mint --device-secret $SECRET --action fs.read --scope /etc/nexacore --now $NOW --ttl 600)
expect mint_then_verify 0 "valid action=fs.read scope=/etc/nexacore not_before=$NOW not_after=$((NOW + 600))" \
	$NC verify --token "$T1" --root "$ROOT" --now $((NOW + 1))
expect access_allowed 0 valid \
	$NC verify --token "$T1" --root "$ROOT" --now $((NOW + 1)) --action fs.read --resource /etc/nexacore/notes/a.txt
expect access_denied_sibling 1 NC_CAP_ERR_DENIED \
	$NC verify --token "$T1" --root "$ROOT" --now $((NOW + 1)) --action fs.read --resource /etc/nexacore2
expect access_denied_escape 1 NC_CAP_ERR_DENIED \
	$NC verify --token "$T1" --root "$ROOT" --now $((NOW + 1)) --action fs.read --resource /etc/nexacore/../passwd
expect access_denied_action 1 NC_CAP_ERR_DENIED \
	$NC verify --token "$T1" --root "$ROOT" --now $((NOW + 1)) --action fs.write --resource /etc/nexacore/a
expect expired 1 NC_CAP_ERR_EXPIRED $NC verify --token "$T1" --root "$ROOT" --now $((NOW + 600))
expect not_yet_valid 1 NC_CAP_ERR_NOT_YET_VALID $NC verify --token "$T1" --root "$ROOT" --now $((NOW - 61))
expect within_clock_skew 0 valid $NC verify --token "$T1" --root "$ROOT" --now $((NOW - 60))
expect unknown_root 1 NC_CAP_ERR_UNKNOWN_ISSUER $NC verify --token "$T1" --device-secret $OTHER --now $NOW

T2=$($NC attenuate --token "$T1" --scope /etc/nexacore/notes --ttl 100)
T3=$(echo "$T2" | $NC attenuate --token - --action fs.read.meta --not-before $((NOW + 10)))
expect chain_verifies 0 "valid action=fs.read.meta scope=/etc/nexacore/notes not_before=$((NOW + 10)) not_after=$((NOW + 100))" \
	$NC verify --token "$T3" --device-secret $SECRET --now $((NOW + 20))
expect inspect_shows_chain 0 "links 3" $NC inspect --token "$T3"
expect widening_scope_refused 1 NC_CAP_ERR_WIDENED $NC attenuate --token "$T2" --scope /etc
expect widening_action_refused 1 NC_CAP_ERR_WIDENED $NC attenuate --token "$T2" --action fs
expect widening_window_refused 1 NC_CAP_ERR_WIDENED $NC attenuate --token "$T2" --not-after $((NOW + 101))

ROOT_ID=$($NC inspect --token "$T3" | awk '$1 == "id" { print $2; exit }')
expect revoking_root_revokes_descendants 1 NC_CAP_ERR_REVOKED \
	$NC verify --token "$T3" --root "$ROOT" --now $((NOW + 20)) --revoked "$ROOT_ID"
LAST_ID=$($NC inspect --token "$T3" | awk '$1 == "id" { id = $2 } END { print id }')
expect revoking_leaf_keeps_parent 0 valid \
	$NC verify --token "$T2" --root "$ROOT" --now $((NOW + 20)) --revoked "$LAST_ID"

# Flip one hex digit in the middle of the token (inside link 0's body).
MID=$(( ${#T2} / 3 ))
C=${T2:$MID:1}; [ "$C" = 0 ] && R=1 || R=0
expect tampered_rejected 1 invalid $NC verify --token "${T2:0:$MID}$R${T2:$((MID + 1))}" --root "$ROOT" --now $((NOW + 20))
expect truncated_rejected 1 invalid $NC verify --token "${T2:0:$(( ${#T2} - 2 ))}" --root "$ROOT" --now $((NOW + 20))

expect short_secret_is_usage 2 NC_TEE_ERR_SECRET_TOO_SHORT $NC mint --device-secret 0011 --action fs --scope /
expect unknown_command_is_usage 2 usage $NC frobnicate
expect bad_hex_token_is_usage 2 usage $NC inspect --token xyz

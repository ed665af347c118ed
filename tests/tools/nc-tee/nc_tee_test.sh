#!/usr/bin/env bash
# Script test of tools/nc-tee: prints "PASS name" / "FAIL name: reason" lines.
# A vendor root and a device of its own (not the build's), a quote made as
# that device would for a small "image", verified and refused on the host;
# a measurement log; an envelope sealed to a key the quote binds and opened.
# The measurement's oracle is b3sum (the entry encoding is built by hand).
set -uo pipefail
cd "$(dirname "$0")/../../.."
NC=build/rel/bin/nc-tee
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

SUITE=nc_tee
. tests/harness/expect.sh
[ -x "$NC" ] || { fail build "$NC missing"; exit 1; }

printf 'kernel bytes' > "$W/kernel"
printf 'initrd bytes' > "$W/initrd"
expect root_gen 0 "" $NC root-gen --key "$W/root.key" --pub "$W/root.pub"
expect provision_new_device 0 "" $NC provision --root-key @"$W/root.key" --secret "$W/dev.secret" --new --cert "$W/dev.cert"
[ "$(stat -c %s "$W/dev.secret")" = 32 ] && [ "$(stat -c %s "$W/dev.cert")" = 118 ] &&
	pass device_files_sizes || fail device_files_sizes "$(ls -l "$W")"

# the image measurement by hand: reg = b3(reg || kind || len || name || digest)
b3() { b3sum --no-names "$@"; }
reg=$(printf '0%.0s' {1..64})
for e in "1 kernel.elf $W/kernel" "2 initrd $W/initrd" "3 cmdline -"; do
	set -- $e
	if [ "$3" = - ]; then d=$(printf 'quiet' | b3); else d=$(b3 "$3"); fi
	reg=$({ printf "$(echo "$reg" | sed 's/../\\x&/g')"; printf "\\x0$1"; printf "\\x$(printf %02x ${#2})%s" "$2";
		printf "$(echo "$d" | sed 's/../\\x&/g')"; } | b3)
done
expect measure_matches_b3sum 0 "measurement $reg" $NC measure --kernel "$W/kernel" --initrd "$W/initrd" --cmdline quiet

NONCE=$(printf '6e%.0s' {1..32})
RD=$(printf 'ab%.0s' {1..32})$NONCE
IMG=(--kernel "$W/kernel" --initrd "$W/initrd" --cmdline quiet)
expect attest 0 "" $NC attest --secret @"$W/dev.secret" --cert @"$W/dev.cert" "${IMG[@]}" --report-data "$RD" --out "$W/quote"
expect policy_from_files 0 "" $NC policy "${IMG[@]}" --out "$W/policy"
expect verify_ok 0 "measurement $reg" $NC verify --quote @"$W/quote" --root @"$W/root.pub" --policy @"$W/policy" --nonce "$NONCE"
expect verify_chain_only 0 "chain only" $NC verify --quote @"$W/quote" --root @"$W/root.pub"
expect verify_stale_nonce 1 NC_TEE_ERR_STALE $NC verify --quote @"$W/quote" --root @"$W/root.pub" --policy @"$W/policy" --nonce "$(printf '00%.0s' {1..32})"
$NC root-gen --key "$W/other.key" --pub "$W/other.pub"
expect verify_untrusted_root 1 NC_TEE_ERR_UNTRUSTED $NC verify --quote @"$W/quote" --root @"$W/other.pub"
expect verify_other_measurement 1 NC_TEE_ERR_MEASUREMENT $NC verify --quote @"$W/quote" --root @"$W/root.pub" --policy "$($NC policy --measurement "$(printf '11%.0s' {1..32})" --out -)"
expect verify_low_tcb 1 NC_TEE_ERR_TCB $NC verify --quote @"$W/quote" --root @"$W/root.pub" --policy "$($NC policy "${IMG[@]}" --min-tcb 2 --out -)"
cp "$W/quote" "$W/bad"
printf '\x00' | dd of="$W/bad" bs=1 seek=100 conv=notrunc status=none
expect verify_altered 1 NC_TEE_ERR_BAD_SIGNATURE $NC verify --quote @"$W/bad" --root @"$W/root.pub"
head -c 200 "$W/quote" > "$W/short"
expect verify_truncated 1 NC_TEE_ERR_FORMAT $NC verify --quote @"$W/short" --root @"$W/root.pub"
expect inspect 0 "report_data $RD" $NC inspect --quote @"$W/quote"
expect usage 2 usage $NC verify
expect unknown_command 2 usage $NC frobnicate

# an envelope to a key the quote binds
$NC keygen --secret "$W/r.secret" --pub "$W/r.pub"
RD2=$($NC report-data --pub @"$W/r.pub" --nonce "$NONCE")
$NC attest --secret @"$W/dev.secret" --cert @"$W/dev.cert" "${IMG[@]}" --report-data "$RD2" --out "$W/rquote"
printf 'payload for the attested recipient' > "$W/msg"
expect envelope_seal 0 "" $NC seal --quote @"$W/rquote" --root @"$W/root.pub" --policy @"$W/policy" --nonce "$NONCE" --in "$W/msg" --out "$W/env"
grep -q 'attested recipient' "$W/env" && fail relay_sees_ciphertext "plaintext in the envelope" || pass relay_sees_ciphertext
expect envelope_open 0 "" $NC open --secret @"$W/r.secret" --quote @"$W/rquote" --in "$W/env" --out "$W/got"
cmp -s "$W/msg" "$W/got" && pass envelope_round_trip || fail envelope_round_trip "payload differs"
expect envelope_unaccepted_measurement 1 NC_ENVELOPE_ERR_MEASUREMENT $NC seal --quote @"$W/rquote" --root @"$W/root.pub" --policy "$($NC policy --measurement "$(printf '11%.0s' {1..32})" --out -)" --nonce "$NONCE" --in "$W/msg" --out "$W/env2"
printf '\x01' | dd of="$W/env" bs=1 seek=60 conv=notrunc status=none
expect envelope_tampered 1 NC_ENVELOPE_ERR_TAMPERED $NC open --secret @"$W/r.secret" --quote @"$W/rquote" --in "$W/env" --out "$W/got"
$NC keygen --secret "$W/x.secret" --pub "$W/x.pub"
$NC seal --quote @"$W/rquote" --root @"$W/root.pub" --policy @"$W/policy" --nonce "$NONCE" --in "$W/msg" --out "$W/env"
expect envelope_wrong_key 1 NC_ENVELOPE_ERR_TAMPERED $NC open --secret @"$W/x.secret" --quote @"$W/rquote" --in "$W/env" --out "$W/got"

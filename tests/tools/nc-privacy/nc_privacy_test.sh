#!/usr/bin/env bash
# Script test of tools/nc-privacy: prints "PASS name" / "FAIL name: reason"
# lines. FPE answers are NIST's (SP 800-38G FF1 sample 1, ACVP FF3-1 tcId 1
# and 26), not our own output.
set -uo pipefail
cd "$(dirname "$0")/../../.."
NC=build/rel/bin/nc-privacy
SUITE=nc_privacy
. tests/harness/expect.sh
[ -x "$NC" ] || { fail build "$NC missing"; exit 1; }
K1=2B7E151628AED2A6ABF7158809CF4F3C

expect ff1_nist_sample_1 0 2433477484 $NC fpe ff1 encrypt --key $K1 --tweak "" --radix 10 0123456789
expect ff1_decrypt 0 0123456789 $NC fpe ff1 decrypt --key $K1 --tweak "" --radix 10 2433477484
expect ff1_nist_sample_3_radix36 0 a9tv40mll9kdu509eum \
	$NC fpe ff1 encrypt --key $K1 --tweak 3737373770717273373737 --radix 36 0123456789abcdefghi
expect ff3_1_acvp_tc1 0 4716569208 \
	$NC fpe ff3-1 encrypt --key AD41EC5D2356DEAE53AE76F50B4BA6D2 --tweak CF29DA1E18D970 --radix 10 6520935496
expect ff3_1_acvp_tc26_alphabet 0 lkjcjcnohf $NC fpe ff3-1 encrypt --key F078DB4C3105463E559623AB7C2EA29F \
	--tweak 1A3FD500D121E9 --alphabet abcdefghijklmnopqrstuvwxyz aquxxnfnhq
CT=$($NC fpe ff1 encrypt --key $K1 --tweak 00 --radix 65536 1,2,65535,40000 2>&1)
expect ff1_radix_65536_round_trip 0 1,2,65535,40000 $NC fpe ff1 decrypt --key $K1 --tweak 00 --radix 65536 "$CT"
expect rev1_domain_refused 1 NC_FPE_ERR_LENGTH $NC fpe ff1 encrypt --key $K1 --tweak "" --radix 10 12345
expect ff3_1_tweak_must_be_56_bits 1 NC_FPE_ERR_TWEAK \
	$NC fpe ff3-1 encrypt --key $K1 --tweak D8E7920AFA330A73 --radix 10 890121234567890000
expect digit_outside_alphabet 1 NC_FPE_ERR_ALPHABET $NC fpe ff1 encrypt --key $K1 --tweak "" --radix 10 01234x6789
expect bad_key_length 1 NC_FPE_ERR_KEY $NC fpe ff1 encrypt --key 0011 --tweak "" --radix 10 0123456789
expect radix_too_big 1 NC_FPE_ERR_RADIX $NC fpe ff1 encrypt --key $K1 --tweak "" --radix 70000 1,2,3
expect usage 2 usage $NC frobnicate

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
KEY=$(printf 'ab%.0s' {1..32})
TEXT="Mail alice@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111; Alice Johnson."
printf 'Alice Johnson\n' > "$TMP/names"
OUT=$(printf '%s' "$TEXT" | $NC tokenize --session-key "$KEY" --table "$TMP/t" --names "$TMP/names" --format phone)
if [[ "$OUT" == *alice@* || "$OUT" == *"Alice Johnson"* || "$OUT" == *4111* || "$OUT" == *7946* ]]; then
	fail tokenize_hides "$OUT"
elif [[ "$OUT" != *"<email:"* || "$OUT" != *"<name:"* || "$OUT" != *"call +44 "* ]]; then
	fail tokenize_forms "$OUT"
else pass tokenize_hides_and_keeps_phone_format; fi
AGAIN=$(printf '%s' "$TEXT" | $NC tokenize --session-key "$KEY" --table "$TMP/t" --names "$TMP/names" --format phone)
[ "$AGAIN" = "$OUT" ] && pass tokenize_deterministic_with_table || fail tokenize_deterministic_with_table "$AGAIN"
BACK=$(printf 'Reply: %s' "$OUT" | $NC detokenize --session-key "$KEY" --table "$TMP/t")
[ "$BACK" = "Reply: $TEXT" ] && pass detokenize_round_trip || fail detokenize_round_trip "$BACK"
OTHER=$(printf 'cd%.0s' {1..32})
expect detokenize_other_key_refused 1 "not a table of this session key" \
	sh -c "printf x | $NC detokenize --session-key $OTHER --table $TMP/t"
OUT2=$(printf '%s' "$TEXT" | $NC tokenize --session-key "$OTHER" --names "$TMP/names")
[[ "$OUT2" != "$OUT" && "$OUT2" == *"<email:"* ]] && pass sessions_unlinkable || fail sessions_unlinkable "$OUT2"
expect tokenize_bad_kind 2 "unknown kind" sh -c "printf x | $NC tokenize --session-key $KEY --format email2"
expect tokenize_format_email_refused 1 NC_TOKEN_ERR_POLICY sh -c "printf x | $NC tokenize --session-key $KEY --format email"

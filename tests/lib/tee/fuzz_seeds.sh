#!/usr/bin/env bash
# Seeds for tee_quote_fuzz (make fuzz): well-formed inputs made with nc-tee
# for the fixed root (seed 07 x 32) and device (secret 09 x 32) the fuzzer
# uses, each prefixed with its selector byte.
#   fuzz_seeds.sh NC_TEE CORPUS
set -euo pipefail
NC=$1 Q=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$Q"
printf '\x07%.0s' {1..32} > "$W/root.key"
printf '\x09%.0s' {1..32} > "$W/secret"
"$NC" provision --root-key @"$W/root.key" --secret "$W/secret" --cert "$W/cert"
printf 'k' > "$W/kernel"
printf 'i' > "$W/initrd"
IMG=(--kernel "$W/kernel" --initrd "$W/initrd")
RD=$(printf '00%.0s' {1..64})
"$NC" attest --secret @"$W/secret" --cert @"$W/cert" "${IMG[@]}" --report-data "$RD" --out "$W/quote"
"$NC" policy "${IMG[@]}" --nonce "$(printf '11%.0s' {1..32})" --log-digest "$(printf '22%.0s' {1..32})" --out "$W/policy"
seed() { { printf "\\x$1"; cat "$2"; } > "$3"; }
seed 00 "$W/quote" "$Q/quote"
seed 01 "$W/policy" "$Q/policy"

#!/usr/bin/env bash
# Seed corpus for cap_verify_fuzz: valid tokens of 1..8 links (path scopes) and
# one name-scope token, minted by nc-cap from the fuzzer's device secret
# (09 x 32) at a time the fuzzer's fixed "now" (1700000020) lies inside.
#   fuzz_seeds.sh NC_CAP_BINARY CORPUS_DIR
set -euo pipefail
nc=$1 dir=$2
secret=$(printf '09%.0s' {1..32})
mkdir -p "$dir"
tok=$("$nc" mint --device-secret "$secret" --action fs --scope /etc/nexacore --now 1700000000)
echo "$tok" | xxd -r -p > "$dir/seed_links1"
scope=/etc/nexacore
for i in 2 3 4 5 6 7 8; do
	scope=$scope/d$i
	tok=$("$nc" attenuate --token "$tok" --scope "$scope" --ttl $((1000 - i)))
	echo "$tok" | xxd -r -p > "$dir/seed_links$i"
done
"$nc" mint --device-secret "$secret" --action net.connect --scope example.org:443 --now 1700000000 |
	xxd -r -p > "$dir/seed_name_scope"

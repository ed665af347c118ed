#!/usr/bin/env bash
# The GGUF reader against an independent parser: @huggingface/gguf (npm, pinned
# in tests/lib/ai/oracle/package-lock.json, installed by scripts/deps). For every
# committed model, the two fuzz seeds (a version 2 file with 64-byte alignment
# and one key of every value type among them) and the K-quant test model
# (make_kquant_model.py), lib/ai's reader (gguf_dump) and the oracle must print
# the same metadata values, tensor infos and data offset.
set -uo pipefail
cd "$(dirname "$0")/../../.."
O=build/ai-oracle/gguf
NODE=tests/lib/ai/oracle
mkdir -p "$O"
if [ ! -f "$NODE/node_modules/@huggingface/gguf/package.json" ]; then
	echo "FAIL ai_gguf_oracle.install: $NODE/node_modules is missing (scripts/deps installs it)"
	exit 0
fi
if ! /usr/bin/python3 tools/models/make_fuzz_seed.py "$O/seeds" 2> "$O/seeds.err"; then
	echo "FAIL ai_gguf_oracle.seeds: $(tail -1 "$O/seeds.err")"
fi
if ! /usr/bin/python3 tests/lib/ai/make_kquant_model.py "$O/kquant" 2> "$O/kquant.err"; then
	echo "FAIL ai_gguf_oracle.kquant: $(tail -1 "$O/kquant.err")"
fi
for f in tools/models/*.gguf "$O"/seeds/*.gguf "$O"/kquant/kq-mixed.gguf; do
	name=ai_gguf_oracle.$(basename "$f" .gguf)
	if ! build/host/bin/gguf_dump "$f" > "$O/ours.txt" 2> "$O/err.txt"; then
		echo "FAIL $name: gguf_dump: $(cat "$O/err.txt")"
	elif ! node tests/lib/ai/gguf_oracle.mjs "$NODE" "$f" > "$O/theirs.txt" 2> "$O/err.txt"; then
		echo "FAIL $name: oracle: $(head -c 300 "$O/err.txt")"
	elif cmp -s "$O/ours.txt" "$O/theirs.txt"; then
		echo "PASS $name ($(grep -c '^kv' "$O/ours.txt") keys, $(grep -c '^tensor' "$O/ours.txt") tensors)"
	else
		echo "FAIL $name: differs: $(diff "$O/ours.txt" "$O/theirs.txt" | head -3 | cut -c1-200)"
	fi
done

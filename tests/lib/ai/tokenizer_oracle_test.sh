#!/usr/bin/env bash
# Tokenizer against an independent implementation: npm's gpt-tokenizer (pinned
# in tests/lib/ai/oracle/package-lock.json, installed by scripts/deps). For
# r50k_base (GPT-2: the gpt2 pre-tokenizer) and cl100k_base (the pattern llama3
# uses), the oracle writes the vocabulary
# as a tokenizer-only GGUF and its ids for a few MB of varied text (Vim's and
# Python's files, licences, seeded random multi-script text); `nc-ai tokenize`
# must produce the same ids (the byte round trip is in model_host_test.c).
set -uo pipefail
cd "$(dirname "$0")/../../.."
O=build/ai-oracle
NCAI=build/rel/bin/nc-ai
NODE=tests/lib/ai/oracle
mkdir -p "$O"
if [ ! -f "$NODE/node_modules/gpt-tokenizer/package.json" ]; then
	echo "FAIL ai_tokenizer_oracle.install: $NODE/node_modules is missing (scripts/deps installs it)"
	exit 0
fi
files=(/usr/share/vim/vim90/doc/usr_*.txt /usr/share/vim/vim90/doc/options.txt
       /usr/share/vim/vim90/doc/builtin.txt /usr/share/vim/vim90/doc/version8.txt
       /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/Apache-2.0
       $(ls /usr/lib/python3.11/*.py 2>/dev/null | head -40))
node tests/lib/ai/tok_oracle_text.mjs "$O/text.txt" "${files[@]}"
bytes=$(stat -c %s "$O/text.txt")
for enc in r50k_base cl100k_base; do
	name=ai_tokenizer_oracle.$enc
	if ! node tests/lib/ai/tok_oracle.mjs "$NODE" "$enc" "$O/$enc.gguf" "$O/text.txt" "$O/$enc.want" 2> "$O/$enc.err"; then
		echo "FAIL $name: oracle failed: $(head -c 300 "$O/$enc.err")"
		continue
	fi
	if ! "$NCAI" tokenize -m "$O/$enc.gguf" -f "$O/text.txt" > "$O/$enc.got" 2> "$O/$enc.err"; then
		echo "FAIL $name: nc-ai tokenize: $(cat "$O/$enc.err")"
		continue
	fi
	if cmp -s "$O/$enc.want" "$O/$enc.got"; then
		echo "PASS $name ($bytes bytes, $(wc -l < "$O/$enc.want") tokens)"
	else
		line=$(cmp "$O/$enc.want" "$O/$enc.got" | sed -n 's/.* line \([0-9]*\).*/\1/p')
		echo "FAIL $name: ids differ from token $line (want $(sed -n "${line}p" "$O/$enc.want"), got $(sed -n "${line}p" "$O/$enc.got"))"
	fi
done

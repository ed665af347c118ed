#!/usr/bin/env bash
# The trained speech model (tools/models/tiny-asr-f16.gguf) on its held-out set:
# the WAV files are rendered again with espeak-ng and sox exactly as
# tools/models/speech_data.py rendered them for training (same seed, repeatable
# sox; their SHA-256 must equal the ones in tiny-asr-f16.ref), then lib/ai
# (nc-ai transcribe) must give the reference's transcription for every one, seen
# voices and the unseen variant, with both decodings: the lexicon beam search
# (the default; the reference: tools/models/ctc_lexicon.py over PyTorch's logits)
# and greedy (-d greedy). Also prints the word error rates of both.
set -uo pipefail
cd "$(dirname "$0")/../../.."
ref=tools/models/tiny-asr-f16.ref
model=tools/models/tiny-asr-f16.gguf
if [ ! -f "$model" ]; then
	echo "FAIL asr_model.present: $model is missing"
	exit 1
fi
work=build/speech-test
mkdir -p "$work"
if ! /usr/bin/python3 - "$work" <<'EOF'
import sys
sys.path.insert(0, "tools/models")
import speech_data as sd
import train_speech as ts
sd.make_sets(sys.argv[1], ts.SEED, 1, ts.MAX_TRAIN, 2, lambda m: None, ("test_seen", "test_unseen"))
EOF
then
	echo "FAIL asr_model.render: could not render the held-out set (espeak-ng, sox)"
	exit 1
fi
fail=0
for split in test_seen test_unseen; do
	names=$(awk -v p="${split:5:1}" '$1 == "utt" && substr($2, 1, 1) == p { print $2 }' "$ref")
	files=()
	for n in $names; do files+=("$work/$split/$n.wav"); done
	bad=0
	for n in $names; do
		want=$(awk -v n="$n" '$1 == "utt" && $2 == n { print $3 }' "$ref")
		got=$(sha256sum "$work/$split/$n.wav" | cut -d' ' -f1)
		[ "$want" = "$got" ] || bad=$((bad + 1))
	done
	if [ "$bad" != 0 ]; then
		echo "FAIL asr_model.$split.inputs: $bad rendered WAV files differ from the ones the reference used"
		fail=1
		continue
	fi
	# nc-ai's decoding and the reference's field of its text
	for d in "lexicon 5" "greedy 7"; do
		set -- $d
		out=$(build/rel/bin/nc-ai transcribe -m "$model" -d "$1" "${files[@]}") ||
			{ echo "FAIL asr_model.$split.$1: nc-ai failed"; fail=1; continue; }
		diff=$(paste <(echo "$out") <(for n in $names; do
			awk -v n="$n" -v f="$2" '$1 == "utt" && $2 == n { print $f }' "$ref" | xxd -r -p; echo; done) |
			awk -F'\t' '$1 != $2' | wc -l)
		if [ "$diff" = 0 ]; then
			echo "PASS asr_model.$split.$1_equals_pytorch"
		else
			echo "FAIL asr_model.$split.$1_equals_pytorch: $diff of $(echo "$names" | wc -w) transcriptions differ from the reference's"
			fail=1
		fi
	done
	awk -v s="$split" '($1 == "wer" || $1 == "wer_greedy") && $2 == s {
		printf "# WER %s %s: %d/%d words = %.2f%%\n", s, $1 == "wer" ? "lexicon beam" : "greedy", $3, $4, 100 * $5 }' "$ref"
done
exit $fail

#!/usr/bin/env bash
# The AI service in NexaCore (docs/ai-service.md): boots a private copy of the
# test image whose initrd holds the AI service, the models under /models, the
# `aitests` program and what it must find, with a manifest that starts the
# service the way the real image does (only fs.read=/models and
# service.register=ai) and then runs aitests. The expected outputs come from
# the host engine (build/rel/bin/nc-ai, itself checked against PyTorch) for the
# same model, prompt and parameters, and the speech model's from its reference
# (tools/models/tiny-asr-f16.ref: the lexicon beam search, AiTranscribe's
# decoding, over PyTorch's logits). Prints aitests' PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/../../.."
. scripts/qemu-common.sh
work=$(mktemp -d /tmp/nc-ai-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
ncai=build/rel/bin/nc-ai
m=tools/models
root=$work/tree
cp -r build/initrd-test-root "$root"
# the other boots' test programs leave room on the ESP for the models
rm -f "$root/libtests" "$root/usertests" "$root/fscrash"
mkdir -p "$root/models"
cp build/user/bin/aitests build/user/bin/ai-service build/user/bin/ai-testprov build/user/bin/ncs tests/user/ai/scripts/*.ncs "$root/"
cp $m/tiny-llama-q8_0.gguf $m/tiny-moe-q8_0.gguf "$root/models/"
# nc-ai run ends its output with one newline of its own
hex() { od -An -v -tx1 | tr -d ' \n'; }
run() { "$ncai" run "$@" 2>/dev/null | head -c -1 | hex; }
prompt="The first steps in Vim"
{
	echo "greedy $(run -m $m/tiny-llama-q8_0.gguf -p "$prompt" --temp 0 -n 24)"
	echo "sampled $(run -m $m/tiny-llama-q8_0.gguf -p "$prompt" --temp 0.8 --seed 7 -n 20)"
	echo "v1 $(run -m $m/tiny-llama-q8_0.gguf -p "$prompt")"
	echo "stop $(run -m $m/tiny-llama-q8_0.gguf -p "$prompt" --temp 0 -n 24 --stop " the")"
	echo "moe $(run -m $m/tiny-moe-q8_0.gguf -p "$prompt" --temp 0 -n 24)"
	echo "embed $("$ncai" embed -m $m/tiny-llama-q8_0.gguf -p "Vim")"
	echo "classify $("$ncai" classify -m $m/tiny-llama-q8_0.gguf -p "Is Vim an editor?" --labels " yes"," no" |
		awk 'NR == 1 { best = $0 } NR > 1 { s = s " " $NF } END { print (best == " yes" ? 0 : 1) s }')"
} > "$root/ai-expect"
# Speech: the random-weight model of tests/lib/ai/make_asr_model.py with its
# WAV and PyTorch's greedy text (it has no lexicon), and the trained model with
# WAV files of its held-out set and the reference's lexicon beam texts
# (tools/models/tiny-asr-f16.ref).
cp build/ai-asr/asr-rand.gguf build/ai-asr/asr-rand.wav "$root/models/"
echo "wav asr-rand /models/asr-rand.wav $(awk '$1 == "text" { print $3 }' build/ai-asr/asr-rand.ref)" >> "$root/ai-expect"
if [ -f $m/tiny-asr-f16.gguf ]; then
	cp $m/tiny-asr-f16.gguf "$root/models/"
	for w in $m/speech-*.wav; do
		[ -f "$w" ] || continue
		cp "$w" "$root/models/"
		name=$(basename "$w" .wav)
		hyp=$(awk -v n="${name#speech-}" '$1 == "utt" && $2 == n { print $5 }' $m/tiny-asr-f16.ref)
		echo "wav tiny-asr-f16 /models/$(basename "$w") $hyp" >> "$root/ai-expect"
		# ai-stream.ncs compares ai::transcribe with the first one's text
		[ -f "$root/ai-transcript.txt" ] ||
			python3 -c 'import sys; sys.stdout.write(bytes.fromhex(sys.argv[1]).decode())' "$hyp" > "$root/ai-transcript.txt"
	done
fi
# The router's test providers (tests/user/ai/ai_router.c) and the privacy
# tests' (ai_privacy.c): the service starts them, so it holds process.spawn
# here (the image's service has no providers).
providers="--provider 2:peer-b:test-echo:400:ai-testprov --provider 1:peer-a:test-echo:400:ai-testprov
 --provider 2:mesh:test-mesh:400:ai-testprov --provider 3:cloud:test-cloud:400:ai-testprov
 --provider 2:priv:test-privacy:2000:ai-testprov"
qemu_image_with_manifest "$root" build/esp-test.img "service ai-service --portable --log $(echo $providers) fs.read=/models service.register=ai process.spawn=*
aitests${NC_AI_ONLY:+ $NC_AI_ONLY}" "$work"
# Command line "test no-ktests": the in-kernel tests ran in the main boot.
printf 'test no-ktests\n' > "$work/cmdline.txt"
MTOOLS_SKIP_CHECK=1 mcopy -o -i "$work/esp.img" "$work/cmdline.txt" ::/nexacore/cmdline.txt
# Two CPUs: the service runs a worker on each; more vCPUs than the host has
# cores only slow TCG down (a preempted vCPU holding a lock stalls the rest).
out=$(NC_QEMU_SMP=${NC_AI_SMP:-2} scripts/qemu-test ai "$work/esp.img" ${NC_AI_TIMEOUT:-300})
# aitests' verdict, and the boot's own failures (panic, timeout) but not the
# in-kernel tests' (tests/boot judges those)
echo "$out" | grep -E '^(PASS|FAIL) aitests\.|^FAIL qemu\.' | grep -v 'kernel reported failure'
log=build/test-logs/ai.serial
if ! tr -d '\r' < "$log" | grep -aEq '^init: aitests \(pid [0-9]+\) ended with status 0$'; then
	echo "FAIL ai_qemu.aitests_status: aitests did not exit with 0 (see $log)"
fi
# What the AI service received for the privacy tests' model (its --log lines):
# tokens, never the personal data of the tokenized calls (ai_privacy.c), and
# the data of the privacy.raw and keep-policy calls as it was.
recv=$(tr -d '\r' < "$log" | grep -a '^ai-service: pid [0-9]* test-privacy input: ' || true)
if ! echo "$recv" | grep -q '<email:' || ! echo "$recv" | grep -q '<phone:' || ! echo "$recv" | grep -q '<name:'; then
	echo "FAIL ai_qemu.privacy_service_log: no tokens in what the service received (see $log)"
elif echo "$recv" | grep -E -q 'alice@example\.com|415 555 2671|Carol'; then
	echo "FAIL ai_qemu.privacy_service_log: personal data reached the service (see $log)"
elif ! echo "$recv" | grep -q 'bob\.raw@example\.org' || ! echo "$recv" | grep -q 'keep\.me@example\.net'; then
	echo "FAIL ai_qemu.privacy_service_log: the raw and keep-policy data did not pass as it was (see $log)"
else
	echo "PASS ai_qemu.privacy_service_log"
fi

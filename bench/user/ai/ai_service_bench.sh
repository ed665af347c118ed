#!/usr/bin/env bash
# The AI service's overhead (docs/ai-service.md, "Benchmarks"): boots a
# private copy of the bench image (plain kernel) whose initrd holds the image's
# models, the service and aibench, with the service started as in the image
# (--portable, fs.read=/models, service.register=ai), on 2 CPUs (the service
# runs a worker on each). aibench runs the same greedy generation through
# lib/ai directly, AiInvokeParams and AiStreamParams, and the sample WAV
# through lib/ai and AiTranscribe, and prints the medians and their ratios.
# Two boots, as bench/kernel does:
#   time          plain TCG: the guest clock is wall time (noisy on a loaded host)
#   instructions  -icount shift=0: the guest clock counts guest instructions
#                 (deterministic; lines "bench ai.instr.*")
# Reported, never asserted.
set -uo pipefail
cd "$(dirname "$0")/../../.."
. scripts/qemu-common.sh
make -s build/esp-bench.img build/user/bin/aibench build/user/bin/ai-service >/dev/null || exit 1
work=$(mktemp -d /tmp/nc-aibench.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/tree
cp -r build/initrd-bench-root "$root"
mkdir -p "$root/models"
cp build/user/bin/aibench build/user/bin/ai-service "$root/"
cp tools/models/tiny-llama-q8_0.gguf tools/models/tiny-asr-f16.gguf tools/models/speech-s0001.wav "$root/models/"
run() { # name, aibench's argument, extra QEMU args, the line that ends a complete run
	local log=build/test-logs/$1.serial
	qemu_image_with_manifest "$root" build/esp-bench.img "service ai-service --portable fs.read=/models service.register=ai
aibench $2" "$work"
	NC_QEMU_SMP=2 NC_QEMU_EXTRA="$3" scripts/qemu-test "$1" "$work/esp.img" 900 >/dev/null
	if ! grep -aq "^$4" "$log"; then
		echo "ai_service_bench: no results from $1 (see $log)"
		tr -d '\r' < "$log" | grep -a '^aibench: '
		return 1
	fi
	tr -d '\r' < "$log" | grep -a -e '^bench ' -e '^aibench: '
}
run aibench "" "" 'bench ai.service_transcribe_vs_direct'
run aibench-instr --instructions "-icount shift=0" 'bench ai.instr.service_transcribe_vs_direct'

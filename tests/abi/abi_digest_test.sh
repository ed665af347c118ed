#!/usr/bin/env bash
# Released ABI versions are frozen: this test pins, per version, a digest of
# everything abi/syscalls.abi defines up to that version (calls, arguments,
# results, errors, constants, structures), checks that version 1 has exactly
# 58 calls including every call the product description names, and that the
# committed docs/abi.md matches the table. A deliberate ABI change needs a new
# version (and a new pinned digest for it).
set -uo pipefail
cd "$(dirname "$0")/../.."
V1_DIGEST=fd436c4ac32c0d7d6c79f03a52bbc590aece6ebd16da2d05637fd19b5e0557b3
V2_DIGEST=6ddb8591c962486da53ac9dda2c8f8e2dc0a2df1e301f03d1098215183f6b1b4
gen() { python3 tools/abigen/abigen.py abi/syscalls.abi "$1" /dev/stdout; }

digests=$(gen digest)
for v in 1 2; do
	pinned=V${v}_DIGEST
	got=$(awk -v v=$v '$1 == v { print $2 }' <<<"$digests")
	if [ "$got" = "${!pinned}" ]; then
		echo "PASS abi.v${v}_digest_frozen"
	else
		echo "FAIL abi.v${v}_digest_frozen: version $v's entries changed (digest $got); a released version is frozen"
	fi
done

# version 1's calls: the call lines between "version 1" and "version 2"
n=$(awk '/^version /{v=$2} /^call / && v == 1' abi/syscalls.abi | wc -l)
if [ "$n" = 58 ] && grep -q '^version 1$' abi/syscalls.abi; then
	echo "PASS abi.v1_has_58_calls"
else
	echo "FAIL abi.v1_has_58_calls: $n calls"
fi

missing=
for c in MemMap MemUnmap TaskCreate ProcessSpawn GetCwd IpcCreateChannel IpcSend IpcReceive \
	CapValidate CapAttenuate CapRevoke TeeAttest TeeVerifyQuote TeeSeal FdRead FdWrite WriteConsole \
	MmioMap DmaMap IrqAttach DriverLoad BlkRegister BlkLookup DisplayMap AiInvoke AiStream AiEmbed \
	AiClassify AiTranscribe FsOpen FsStat FsListDir NetSocket NetConnect NetSend NetRecv \
	Exit ProcessWait Yield Sleep ClockGet HandleClose HandleDuplicate Random AbiVersion; do
	awk '/^version /{v=$2} /^call / && v == 1' abi/syscalls.abi | grep -Eq "^call [0-9]+ $c " || missing="$missing $c"
done
if [ -z "$missing" ]; then
	echo "PASS abi.v1_names_every_seed_call"
else
	echo "FAIL abi.v1_names_every_seed_call: missing$missing"
fi

if gen doc | cmp -s - docs/abi.md; then
	echo "PASS abi.docs_match_table"
else
	echo "FAIL abi.docs_match_table: docs/abi.md is stale (make docs/abi.md)"
fi

# The generator rejects a table that breaks its rules (independent of the digest).
bad=$(mktemp)
trap 'rm -f "$bad"' EXIT
sed 's/^call 1 WriteConsole/call 7 WriteConsole/' abi/syscalls.abi > "$bad"
if ! python3 tools/abigen/abigen.py "$bad" header /dev/null 2>/dev/null; then
	echo "PASS abi.generator_rejects_bad_numbering"
else
	echo "FAIL abi.generator_rejects_bad_numbering: accepted call numbers out of order"
fi

# An io:STRUCT argument must come last and fit the six registers; versions count up.
reject() { # name, sed expression
	sed "$2" abi/syscalls.abi > "$bad"
	if ! python3 tools/abigen/abigen.py "$bad" header /dev/null 2>/dev/null; then
		echo "PASS abi.generator_rejects_$1"
	else
		echo "FAIL abi.generator_rejects_$1: accepted it"
	fi
}
reject io_not_last '/^call 58 /,/^  errors/{/^  arg u64 handle/d;s/^  arg io:ipc_short msg .*/&\n  arg u64 handle "x"/}'
reject io_too_many_registers '/^call 58 /,/^  errors/s/^  arg u64 handle .*/&\n  arg u64 extra "x"/'
reject io_with_result '/^call 58 /,/^  errors/s/^  arg io:ipc_short msg .*/&\n  result u64 r "x"/'
reject version_gap 's/^version 2$/version 4/'
# A revision changes an earlier call's doc and errors only, and only from a later version.
reject revise_same_version '/^call 61 /i revise 60 ProcessSuspend'
reject revise_wrong_name '$a revise 39 DmaMap'
reject revise_arguments '$a revise 39 MmioMap\n  arg u64 x "x"'
reject revise_result '$a revise 39 MmioMap\n  result u64 x "x"'
# and the digest of version 1 does not depend on what version 2 adds
sed '/^version 2$/,$d' abi/syscalls.abi > "$bad"
if [ "$(python3 tools/abigen/abigen.py "$bad" digest /dev/stdout)" = "1 $V1_DIGEST" ]; then
	echo "PASS abi.v1_digest_independent_of_v2"
else
	echo "FAIL abi.v1_digest_independent_of_v2: version 1 alone digests differently"
fi

# A revision in the open version leaves the released digests alone and shows in the
# generated table: MmioMap revised (built, new error list) in the last version.
printf 'revise 39 MmioMap\n  doc "revised"\n  errors DENIED INVALID\n' | cat abi/syscalls.abi - > "$bad"
got=$(python3 tools/abigen/abigen.py "$bad" digest /dev/stdout | awk '$1 <= 2')
if [ "$got" = "$(printf '1 %s\n2 %s' "$V1_DIGEST" "$V2_DIGEST")" ] &&
	[ "$(python3 tools/abigen/abigen.py "$bad" digest /dev/stdout | tail -n 1)" != "$(gen digest | tail -n 1)" ] &&
	python3 tools/abigen/abigen.py "$bad" doc /dev/stdout | grep '^| 39 | `MmioMap` | v1 (rev\. v[0-9]*) | driver | driver.mmio | built | DENIED, INVALID |$' >/dev/null &&
	python3 tools/abigen/abigen.py "$bad" ktable_h /dev/stdout | grep 'sys_mmio_map(uint64_t phys' >/dev/null; then
	echo "PASS abi.revision_keeps_released_digests"
else
	echo "FAIL abi.revision_keeps_released_digests"
fi

# init's root capabilities (kernel/cap.c) cover every action the table names.
missing=
for a in $(awk '/^call /{ sub(/^cap=/, "", $5); if ($5 != "-") print $5 }' abi/syscalls.abi | cut -d. -f1 | sort -u); do
	grep -q "{ \"$a\", " kernel/cap.c || missing="$missing $a"
done
if [ -z "$missing" ]; then
	echo "PASS abi.init_roots_cover_every_action"
else
	echo "FAIL abi.init_roots_cover_every_action: no root for$missing"
fi

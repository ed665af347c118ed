#!/usr/bin/env bash
# ABI v1 is frozen: this test pins a digest of everything abi/syscalls.abi
# defines (calls, arguments, results, errors, constants, structures), checks
# that version 1 has exactly 58 calls including every call the product
# description names, and that the committed docs/abi.md matches the table.
# A deliberate ABI change needs a new version (and a new pinned digest for it).
set -uo pipefail
cd "$(dirname "$0")/../.."
V1_DIGEST=fd436c4ac32c0d7d6c79f03a52bbc590aece6ebd16da2d05637fd19b5e0557b3
gen() { python3 tools/abigen/abigen.py abi/syscalls.abi "$1" /dev/stdout; }

if [ "$(gen digest)" = "$V1_DIGEST" ]; then
	echo "PASS abi.v1_digest_frozen"
else
	echo "FAIL abi.v1_digest_frozen: abi/syscalls.abi changed (digest $(gen digest)); version 1 is frozen"
fi

n=$(grep -c '^call ' abi/syscalls.abi)
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
	grep -Eq "^call [0-9]+ $c " abi/syscalls.abi || missing="$missing $c"
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

#!/usr/bin/env bash
# The allocation-failure injection (tests/kernel/alloc_fail.h) exists in the
# test kernel only: nexacore-test.elf routes the allocators through the
# __wrap_ functions, nexacore.elf contains none of it and its callers reach
# the allocators directly.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=build/kernel
hooks='__wrap_heap_alloc|__wrap_heap_free|__wrap_pmm_alloc_frame|__wrap_pmm_alloc_contig|__wrap_pmm_free_frame|__wrap_pmm_free_contig|alloc_fail_arm|alloc_track_start'

n_test=$(nm "$B/nexacore-test.elf" | grep -cwE "$hooks")
# in the test kernel only the wrapper itself calls the real heap_alloc
direct_test=$(objdump -d "$B/nexacore-test.elf" | grep -cE 'call .*<heap_alloc>')
if [ "$n_test" = 8 ] && [ "$direct_test" = 1 ]; then
	echo "PASS kernel.test_kernel_has_alloc_hooks"
else
	echo "FAIL kernel.test_kernel_has_alloc_hooks: $n_test of 8 hook symbols, $direct_test direct calls of heap_alloc in nexacore-test.elf"
fi

n_plain=$(nm "$B/nexacore.elf" | grep -cE '__wrap_|__real_|alloc_fail|alloc_track')
direct_plain=$(objdump -d "$B/nexacore.elf" | grep -cE 'call .*<heap_alloc>')
if [ "$n_plain" = 0 ] && [ "$direct_plain" -gt 10 ]; then
	echo "PASS kernel.plain_kernel_has_no_alloc_hooks"
else
	echo "FAIL kernel.plain_kernel_has_no_alloc_hooks: $n_plain hook symbols, $direct_plain direct calls of heap_alloc in nexacore.elf"
fi

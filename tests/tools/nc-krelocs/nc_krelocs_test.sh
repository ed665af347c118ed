#!/usr/bin/env bash
# Script test of tools/nc-krelocs: tiny kernels assembled and linked here with
# --emit-relocs at the kernel's link address. The oracle for the table is
# binutils: readelf -r lists the relocations, and the test computes the
# expected offsets from it (and od reads the table) without lib/kreloc.
# Unsupported relocations stop the tool with the place and the reason.
set -uo pipefail
cd "$(dirname "$0")/../../.."
N=build/rel/bin/nc-krelocs
W=$(mktemp -d /tmp/nc-krelocs-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
SUITE=nc_krelocs
. tests/harness/expect.sh
[ -x "$N" ] || { fail build "$N missing"; exit 1; }
BASE=0xffffffff80000000

# kernel NAME ASM [LD ARGS]: $W/NAME.elf from the assembly text.
kernel() {
	local name=$1 asm=$2
	shift 2
	printf '\t.text\n\t.globl _start\n_start:\n%s\n' "$asm" > "$W/$name.S"
	gcc -c "$W/$name.S" -o "$W/$name.o" &&
		ld -static --emit-relocs -z max-page-size=4096 -Ttext=$BASE -e _start "$@" "$W/$name.o" -o "$W/$name.elf"
}

kernel good '	movq $target, %rax
	call target
	lea target(%rip), %rdx
	.weak missing
	movq $missing, %rcx
target:	ret
	.data
	.balign 8
	.quad target
	.quad 0x1234
	.quad missing
	.quad target + 16'
if ! "$N" "$W/good.elf" "$W/good.bin"; then
	fail supported_kinds_tabled "the tool refused a kernel with only supported relocations"
else
	# Expected: from readelf, R_X86_64_64 and R_X86_64_32S against the image
	# (target, named by its section .text), not against the weak undefined
	# `missing`, as offsets from the lowest PT_LOAD (ld puts the ELF headers
	# in a page below .text here).
	want64=$(readelf -rW "$W/good.elf" | awk '$3 == "R_X86_64_64" && $5 == ".text" { print $1 }')
	want32=$(readelf -rW "$W/good.elf" | awk '$3 == "R_X86_64_32S" && $5 == ".text" { print $1 }')
	lo=$(readelf -lW "$W/good.elf" | awk '$1 == "LOAD" { print $3 }' | sort | head -n 1)
	exp() { for a in $1; do printf '%d\n' $((0x$a - lo)); done; }
	words=($(od -An -tu4 -v "$W/good.bin"))
	got_n64=${words[2]} got_n32=${words[3]}
	got64=$(printf '%s\n' "${words[@]:4:$got_n64}")
	got32=$(printf '%s\n' "${words[@]:$((4 + got_n64)):$got_n32}")
	magic=$(od -An -c -N4 "$W/good.bin" | tr -d ' ')
	if [ "$magic" = NCKR ] && [ "$got_n64" = 2 ] && [ "$got_n32" = 1 ] &&
		[ "$got64" = "$(exp "$want64")" ] && [ "$got32" = "$(exp "$want32")" ]; then
		pass supported_kinds_tabled
	else
		fail supported_kinds_tabled "magic $magic, abs64 [$got64] want [$(exp "$want64")], abs32s [$got32] want [$(exp "$want32")]"
	fi
fi


# The type is judged before the symbol: these would link only against a small
# absolute symbol, and are refused all the same.
kernel word16 '	ret
	.data
	.word small' --defsym small=0x10
expect unsupported_type_refused 1 "relocation type 12 at" "$N" "$W/word16.elf" "$W/word16.bin"
kernel zext32 '	movl $small, %eax
	ret' --defsym small=0x10
expect zero_extended_32_refused 1 "relocation type 10 at" "$N" "$W/zext32.elf" "$W/zext32.bin"
kernel abs_inside '	movq $inside, %rax
	ret' --defsym inside=$((BASE + 16))
expect absolute_symbol_inside_image_refused 1 "absolute symbol inside the image" \
	"$N" "$W/abs_inside.elf" "$W/abs_inside.bin"
kernel pc_to_fixed '	.weak missing
	lea missing(%rip), %rax
	ret'
expect relative_to_fixed_address_refused 1 "does not move with the image" \
	"$N" "$W/pc_to_fixed.elf" "$W/pc_to_fixed.bin"
if [ -e "$W/word16.bin" ] || [ -e "$W/zext32.bin" ]; then
	fail refused_leaves_no_table "a table was written for a refused kernel"
else
	pass refused_leaves_no_table
fi
printf 'not an elf' > "$W/junk.elf"
expect not_elf_refused 1 "not an x86-64 ELF executable" "$N" "$W/junk.elf" "$W/junk.bin"

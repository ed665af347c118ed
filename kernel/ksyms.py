#!/usr/bin/env python3
"""Generate the kernel symbol table (assembly for kernel/ksyms.c) from `nm -n`
output on stdin: text symbols only, ascending, as offsets from __kernel_start
(the image moves at boot: KASLR), names as offsets from ksyms_names. The table
holds no address, so it needs no relocation and its size moves nothing the
relocation table lists. With no input: an empty table (the first link pass).

usage: nm -n kernel.elf | ksyms.py > ksyms.S
"""
import sys

syms = []
base = None
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 3 and parts[2] == "__kernel_start":
        base = int(parts[0], 16)
    if len(parts) == 3 and parts[1] in "tTwW":
        syms.append((int(parts[0], 16), parts[2]))
if syms and base is None:
    sys.exit("ksyms.py: no __kernel_start in the nm output")
syms = [(addr - base, name) for addr, name in syms if addr >= base]
print("\t.section .ksyms, \"a\"")
print("\t.balign 8")
print("\t.global ksyms_count, ksyms_offsets, ksyms_names")
print(f"ksyms_count:\n\t.quad {len(syms)}")
print("ksyms_offsets:")
for off, _ in syms:
    print(f"\t.long {off:#x}")
print("ksyms_names:")
for i in range(len(syms)):
    print(f"\t.long .Lname{i} - ksyms_names")
for i, (_, name) in enumerate(syms):
    print(f".Lname{i}:\n\t.asciz \"{name}\"")
print("\t.section .note.GNU-stack, \"\", @progbits")

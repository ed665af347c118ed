#!/usr/bin/env python3
"""Generate the kernel symbol table (assembly for kernel/ksyms.c) from `nm -n`
output on stdin: text symbols only, ascending. With no input: an empty table
(the first link pass). The table is the last section of the image, so its size
does not move any other symbol between the passes.

usage: nm -n kernel.elf | ksyms.py > ksyms.S
"""
import sys

syms = []
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        syms.append((int(parts[0], 16), parts[2]))
print("\t.section .ksyms, \"a\"")
print("\t.balign 8")
print("\t.global ksyms_count, ksyms_addrs, ksyms_names")
print(f"ksyms_count:\n\t.quad {len(syms)}")
print("ksyms_addrs:")
for addr, _ in syms:
    print(f"\t.quad {addr:#x}")
print("ksyms_names:")
for i in range(len(syms)):
    print(f"\t.quad .Lname{i}")
for i, (_, name) in enumerate(syms):
    print(f".Lname{i}:\n\t.asciz \"{name}\"")
print("\t.section .note.GNU-stack, \"\", @progbits")

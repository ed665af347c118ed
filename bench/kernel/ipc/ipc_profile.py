#!/usr/bin/env python3
"""Per-function instruction counts from a QEMU -singlestep execution log.
usage: ipc_profile.py [--flow] EXEC_LOG SERIAL_LOG ELF...
--flow also prints the path of one round trip (the second), as runs of
consecutive instructions per function.
Each log line is one guest instruction; its pc is named by the nearest
preceding function symbol of the given ELF files. The number of round trips
comes from ipcbench's "profiled N round trips" line in the serial log."""
import bisect
import re
import subprocess
import sys


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def main():
    args = sys.argv[1:]
    flow = args[0] == "--flow"
    if flow:
        args = args[1:]
    log, serial, elves = args[0], args[1], args[2:]
    m = re.search(r"profiled (\d+) round trips", open(serial, errors="replace").read())
    if not m:
        sys.exit("ipc_profile: ipcbench did not finish (no 'profiled' line)")
    trips = int(m.group(1))
    syms = sorted(s for elf in elves for s in symbols(elf))
    addrs = [a for a, _ in syms]
    counts, total, trip, runs = {}, 0, 0, []
    in_irq, irq_total, last = False, 0, None
    pc_re = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
    for line in open(log, errors="replace"):
        m = pc_re.search(line)
        if not m:
            continue
        pc = int(m.group(1), 16)
        i = bisect.bisect_right(addrs, pc) - 1
        name = syms[i][1] if i >= 0 else "?"
        # Timer interrupts (isr_* .. trap_return) come far more often under the
        # slow logging run than under -icount: count them apart.
        if name.startswith("isr_"):
            in_irq = True
        elif in_irq and last == "trap_return" and name != "trap_return":
            in_irq = False
        last = name
        if in_irq:
            irq_total += 1
            continue
        counts[name] = counts.get(name, 0) + 1
        total += 1
        if name in ("nc_sys_ipc_call", "nc_sys_ipc_call_short") and (not runs or runs[-1][0] != name):
            trip += 1
        if flow and trip == 2:
            if runs and runs[-1][0] == name:
                runs[-1][1] += 1
            else:
                runs.append([name, 1])
    print(f"{total / trips:.0f} instructions per round trip ({trips} round trips, markers included;"
          f" {irq_total / trips:.0f} more in interrupt handlers, left out)")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{n / trips:8.1f}  {name}")
    if flow:
        print(f"path of round trip 2 ({sum(n for _, n in runs)} instructions):")
        for name, n in runs:
            print(f"{n:6d}  {name}")


main()

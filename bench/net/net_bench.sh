#!/usr/bin/env bash
# TCP throughput over the NIC, NexaCore against the Linux guest: bench/net/net_bench.py.
exec python3 "$(dirname "$0")/net_bench.py"

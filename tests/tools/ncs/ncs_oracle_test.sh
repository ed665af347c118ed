#!/usr/bin/env bash
# Random Int programs: ncs against Python (an independent model of the documented
# semantics), three fixed seeds so a failure reproduces.
set -u
cd "$(dirname "$0")/../../.."
for seed in 1 2 3; do
	python3 tests/tools/ncs/ncs_oracle.py "${NCS:-build/host/bin/ncs}" 100 "$seed"
done

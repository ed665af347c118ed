#!/usr/bin/env bash
# Seed archives for initrd_fuzz, written by GNU tar in ustar format: a small
# tree (directories, a file, an empty file) and one path that needs the prefix
# field (longer than 100 bytes).   fuzz_seeds.sh CORPUS_DIR
set -euo pipefail
out=$1
mkdir -p "$out"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/small/dir/sub" "$t/long"
echo alpha > "$t/small/dir/a.txt"
: > "$t/small/dir/sub/empty"
deep=$(printf 'p%.0s' {1..60})/$(printf 'q%.0s' {1..60})
mkdir -p "$t/long/$deep"
echo deep > "$t/long/$deep/$(printf 'f%.0s' {1..40})"
tar --format=ustar --owner=0 --group=0 -cf "$out/seed-small.tar" -C "$t/small" .
tar --format=ustar --owner=0 --group=0 -cf "$out/seed-long.tar" -C "$t/long" .

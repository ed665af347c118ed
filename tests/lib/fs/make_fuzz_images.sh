#!/usr/bin/env bash
# Base images for fs_fuzz (tests/lib/fs/fs_fuzz.c), made by e2fsprogs:
#   base1k.img     1 KiB blocks, 3 MiB: files, a file with an indirect block, a symlink, and a
#                  directory of 120 names that e2fsck -D turns into an htree index
#   journal1k.img  the same with two committed transactions in its journal (the root directory
#                  block and a group descriptor block, logged as they are) and a revoke record
#   base4k.img     4 KiB blocks, 12 MiB, the same files
#   make_fuzz_images.sh OUT_DIR
set -euo pipefail
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/d" "$tmp/src/many"
echo hi > "$tmp/src/a"
head -c 20000 /dev/zero | tr '\0' m > "$tmp/src/d/mid"
for i in $(seq 1 120); do echo "$i" > "$tmp/src/many/n$i"; done
ln -s a "$tmp/src/l"
mke2fs -q -F -t ext3 -b 1024 -J size=1 -N 256 -d "$tmp/src" "$out/base1k.img" 3072k
e2fsck -fyD "$out/base1k.img" > /dev/null || [ $? -le 1 ]
mke2fs -q -F -t ext3 -b 4096 -J size=4 -N 256 -d "$tmp/src" "$out/base4k.img" 12288k
cp "$out/base1k.img" "$out/journal1k.img"
root=$(debugfs -R 'bmap / 0' "$out/journal1k.img" 2>/dev/null)
dd if="$out/journal1k.img" of="$tmp/blocks" bs=1024 skip="$root" count=1 status=none
dd if="$out/journal1k.img" bs=1024 skip=2 count=1 status=none >> "$tmp/blocks"
printf 'jo\njw -b %s,2 %s\njc\njo\njw -r 3000 /dev/null\njc\n' "$root" "$tmp/blocks" |
	debugfs -w -f - "$out/journal1k.img" > /dev/null 2>&1
debugfs -R logdump "$out/journal1k.img" 2>/dev/null | grep -q 'commit block'

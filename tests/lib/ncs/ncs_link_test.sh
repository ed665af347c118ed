#!/usr/bin/env bash
# lib/ncs is freestanding: linking the user-flavour archive with lib/http,
# lib/inet, lib/scope and lib/base into one relocatable object must leave no undefined symbol (no libc),
# and libncs.a alone may only reference our own nc_/ncs_ symbols or the four
# functions lib/base provides for the compiler (memcpy, memmove, memset, memcmp).
set -u
cd "$(dirname "$0")/../../.."
B=build/user/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ld -r --whole-archive $B/libncs.a $B/libhttp.a $B/libinet.a $B/libscope.a $B/libbase.a -o "$tmp/all.o" 2>"$tmp/err"; then
	undef=$(nm -u "$tmp/all.o")
	if [ -z "$undef" ]; then echo "PASS ncs_link.no_undefined_symbols"
	else echo "FAIL ncs_link.no_undefined_symbols: $(echo $undef | head -c 300)"; fi
else
	echo "FAIL ncs_link.no_undefined_symbols: ld -r failed: $(head -c 300 "$tmp/err")"
fi
foreign=$(nm -u $B/libncs.a | awk 'NF==2 {print $2}' | sort -u | grep -Ev '^(nc_|ncs_|memcpy$|memmove$|memset$|memcmp$)')
if [ -z "$foreign" ]; then echo "PASS ncs_link.only_own_symbols"
else echo "FAIL ncs_link.only_own_symbols: $(echo $foreign | head -c 300)"; fi
# the fake-libc check must be able to fail: an object calling malloc is caught
printf 'void *malloc(unsigned long); void *f(void) { return malloc(1); }\n' > "$tmp/bad.c"
gcc -c -ffreestanding -o "$tmp/bad.o" "$tmp/bad.c" && ld -r "$tmp/all.o" "$tmp/bad.o" -o "$tmp/both.o" 2>/dev/null
if nm -u "$tmp/both.o" | grep -q malloc; then echo "PASS ncs_link.check_detects_libc"
else echo "FAIL ncs_link.check_detects_libc: malloc not reported"; fi

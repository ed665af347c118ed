#!/usr/bin/env bash
# Script test of tools/nc-pkg: prints "PASS name" / "FAIL name: reason" lines.
# Independent oracles: Python reads the package layout of nc/drvpkg.h itself
# (postcard varints), b3sum hashes the image, and the openssl CLI verifies the
# Ed25519 signature over "NexaCore driver manifest v1\0" || manifest.
set -uo pipefail
cd "$(dirname "$0")/../../.."
N=build/rel/bin/nc-pkg
W=$(mktemp -d /tmp/nc-pkg-test.XXXXXX)
trap 'rm -rf "$W"' EXIT

SUITE=nc_pkg
. tests/harness/expect.sh

[ -x "$N" ] || { fail build "$N missing"; exit 1; }
IMAGE=build/user/bin/hello
cat > "$W/m.spec" <<'EOF'
# a test manifest
name nvme-test
version 7
vendor 0x1b36
class 0x010802
bar 0
bar 4
irq-vectors 3
dma-budget 0x100000
offer blk.register *
offer console.write *
EOF

expect keygen 0 "" $N keygen --out "$W/k1"
$N keygen --out "$W/k2" >/dev/null
expect pubkey_matches_keygen 0 "$(cat "$W/k1.pub")" $N pubkey --key "$W/k1"
expect sign 0 "" $N sign --key "$W/k1" --manifest "$W/m.spec" --image $IMAGE --out "$W/p.pkg"
expect verify_trusted 0 "ok: nvme-test version 7" $N verify --trusted "$W/k1.pub" "$W/p.pkg"
expect verify_any_of_several_keys 0 ok $N verify --trusted "$W/k2.pub" --trusted "$W/k1.pub" "$W/p.pkg"
expect verify_unknown_key 1 NC_DRVPKG_ERR_UNTRUSTED $N verify --trusted "$W/k2.pub" "$W/p.pkg"
expect inspect 0 "irq vectors: 3" $N inspect "$W/p.pkg"
expect inspect_offers 0 "offer: console.write *" $N inspect "$W/p.pkg"
expect inspect_match 0 "match: vendor 1b36 class 010802" $N inspect "$W/p.pkg"
expect inspect_hash_is_b3sum 0 "image hash: $(b3sum --no-names $IMAGE)" $N inspect "$W/p.pkg"

# The layout, read by Python without our code: magic, manifest, signer, signature, image.
python3 - "$W/p.pkg" "$W" "$IMAGE" <<'EOF' > "$W/layout.txt"
import sys
pkg = open(sys.argv[1], 'rb').read()
def varint(b, i):
    v = s = 0
    while True:
        x = b[i]; i += 1
        v |= (x & 0x7f) << s; s += 7
        if not x & 0x80:
            return v, i
assert pkg[:8] == b'NCDRVPKG'
n, i = varint(pkg, 8)
manifest = pkg[i:i + n]; i += n
signer = pkg[i:i + 32]; i += 32
sig = pkg[i:i + 64]; i += 64
n, i = varint(pkg, i)
image = pkg[i:i + n]; i += n
assert i == len(pkg), 'trailing bytes'
assert image == open(sys.argv[3], 'rb').read(), 'image differs'
open(sys.argv[2] + '/msg', 'wb').write(b'NexaCore driver manifest v1\0' + manifest)
open(sys.argv[2] + '/sig', 'wb').write(sig)
# SubjectPublicKeyInfo for Ed25519 (RFC 8410): fixed 12-byte prefix and the key
import base64
der = bytes.fromhex('302a300506032b6570032100') + signer
open(sys.argv[2] + '/pub.pem', 'w').write('-----BEGIN PUBLIC KEY-----\n' + base64.b64encode(der).decode() + '\n-----END PUBLIC KEY-----\n')
print('manifest_offset', 8 + 1, 'manifest_len', len(manifest), 'image_offset', len(pkg) - len(image))
# the manifest's first fields: format 1, name, version 7
assert manifest[0] == 1 and manifest[1] == 9 and manifest[2:11] == b'nvme-test' and manifest[11] == 7
EOF
if [ $? = 0 ]; then pass layout_read_by_python; else fail layout_read_by_python "python could not read the package"; fi
expect signature_verifies_with_openssl 0 "Signature Verified Successfully" \
	openssl pkeyutl -verify -pubin -inkey "$W/pub.pem" -rawin -in "$W/msg" -sigfile "$W/sig"

# Tampering: a manifest byte, an image byte, a signature byte, the signer key.
read -r _ MOFF _ MLEN _ IOFF < "$W/layout.txt"
flip() { # flip FILE OFFSET OUT
	cp "$1" "$3"
	python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[int(sys.argv[2])]^=1; open(sys.argv[1],'wb').write(b)" "$3" "$2"
}
flip "$W/p.pkg" $((MOFF + 12)) "$W/t-manifest.pkg"
expect tampered_manifest 1 NC_DRVPKG_ERR_SIGNATURE $N verify --trusted "$W/k1.pub" "$W/t-manifest.pkg"
flip "$W/p.pkg" $((IOFF + 100)) "$W/t-image.pkg"
expect tampered_image 1 NC_DRVPKG_ERR_HASH $N verify --trusted "$W/k1.pub" "$W/t-image.pkg"
expect tampered_image_inspect 1 "DOES NOT MATCH" $N inspect "$W/t-image.pkg"
flip "$W/p.pkg" $((MOFF + MLEN + 32 + 5)) "$W/t-sig.pkg"
expect tampered_signature 1 NC_DRVPKG_ERR_SIGNATURE $N verify --trusted "$W/k1.pub" "$W/t-sig.pkg"
flip "$W/p.pkg" $((MOFF + MLEN + 3)) "$W/t-signer.pkg"
expect tampered_signer 1 NC_DRVPKG_ERR_UNTRUSTED $N verify --trusted "$W/k1.pub" "$W/t-signer.pkg"
head -c 100 "$W/p.pkg" > "$W/t-short.pkg"
expect truncated 1 NC_DRVPKG_ERR_FORMAT $N verify --trusted "$W/k1.pub" "$W/t-short.pkg"
{ cat "$W/p.pkg"; printf x; } > "$W/t-long.pkg"
expect trailing_byte 1 NC_DRVPKG_ERR_FORMAT $N verify --trusted "$W/k1.pub" "$W/t-long.pkg"

# Manifest source errors name the line.
bad_spec() { # NAME TEXT WANT
	printf '%b' "$2" > "$W/bad.spec"
	expect "$1" 1 "$3" $N sign --key "$W/k1" --manifest "$W/bad.spec" --image $IMAGE --out "$W/bad.pkg"
}
bad_spec spec_unknown_directive 'name x\nfrobnicate 1\n' 'bad.spec:2: unknown directive'
bad_spec spec_bar_out_of_range 'name x\nbar 6\n' 'bad.spec:2:'
bad_spec spec_bar_repeated 'name x\nbar 1\nbar 1\n' 'breaks a rule'
bad_spec spec_name_chars 'name Bad.Name\n' 'breaks a rule'
bad_spec spec_no_name 'version 1\n' 'no name'
bad_spec spec_repeated 'name x\nname y\n' 'bad.spec:2: directive repeated'
bad_spec spec_vectors 'name x\nirq-vectors 33\n' 'bad.spec:2:'
bad_spec spec_budget 'name x\ndma-budget 0x10000001\n' 'bad.spec:2:'
bad_spec spec_vendor_range 'name x\nvendor 0x10000\n' 'bad.spec:2:'
expect usage 2 usage $N frobnicate
expect verify_needs_a_key 2 usage $N verify "$W/p.pkg"

"""Measured boot, sealing and quotes in QEMU, as a person at the shell sees
them (docs/attestation.md). Three boots of copies of build/esp.img:

  A  a new device (no \\nexacore\\device.secret): the loader makes a secret;
     `tee` shows the log, whose kernel, initrd and command-line digests must
     equal b3sum's of the build's files and whose image measurement must equal
     the register replayed here from those digests (BLAKE3 by b3sum, the entry
     encoding by hand); `version` shows the same measurement; quotes are
     refused (no vendor certificate yet); `tee seal` seals a phrase.
  host  the secret is on the ESP now; the vendor (nc-tee provision) certifies
     the device and the certificate is put beside it.
  B  the same image: `tee unseal` opens the phrase; `tee quote NONCE` makes a
     quote that nc-tee verifies on the host against a policy it computes from
     the build's files, with the nonce; `tee verify` verifies it in NexaCore.
  C  the same ESP with one byte of the initrd changed: another measurement,
     and `tee unseal` is refused with POLICY.

Prints one PASS/FAIL line per check."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts"))
from qemu_driver import Machine, ExpectTimeout  # noqa: E402

B = "build"
NC_TEE = f"{B}/rel/bin/nc-tee"
PROMPT = r"\nnexacore> "
PHRASE = "sealed across reboots"
NONCE = "5a" * 32
failures = 0


def check(name, ok, detail=""):
    global failures
    print(f"PASS tee_qemu.{name}" if ok else f"FAIL tee_qemu.{name}: {detail}")
    failures += 0 if ok else 1


def run(m, line, timeout=60):
    """Type line + Enter; what the shell printed up to the next prompt."""
    start = len(m.buf)
    m.send(line + "\r")
    try:
        m.expect(PROMPT, timeout=timeout)
    except ExpectTimeout:
        return ""
    return m.text_since(start).replace("\r", "")


def hex_lines(text):
    return [ln for ln in text.split("\n") if re.fullmatch(r"[0-9a-f]{2,64}", ln)]


def boot(image, name, snapshot):
    m = Machine(image, log=f"{B}/test-logs/tee_qemu_{name}.serial", snapshot=snapshot)
    m.expect(PROMPT, timeout=120)
    return m


def shutdown(m):
    m.send("shutdown\r")
    m.proc.wait(timeout=60)
    m.close()


def mtools(*args):
    subprocess.run(args, check=True, env=dict(os.environ, MTOOLS_SKIP_CHECK="1"), capture_output=True)


def b3(data):
    out = subprocess.run(["b3sum", "--no-names", "--raw"], input=data, capture_output=True, check=True)
    return out.stdout


def expected_log():
    """The boot part as the loader and kernel must take it, from b3sum."""
    with open(f"{B}/esp.img.cmdline", "rb") as f:
        cmdline = f.read().split(b"\n")[0]
    parts = [(1, b"kernel.elf", b3(open(f"{B}/kernel/nexacore.elf", "rb").read())),
             (2, b"initrd", b3(open(f"{B}/initrd.tar", "rb").read())),
             (3, b"cmdline", b3(cmdline))]
    reg = bytes(32)
    for kind, name, digest in parts:  # Entry := { kind: u8, name: str, digest: [u8; 32] }
        reg = b3(reg + bytes([kind, len(name)]) + name + digest)
    return [d.hex() for _, _, d in parts], reg.hex()


def boot_a(work, image):
    m = boot(image, "a", snapshot=False)
    serial = m.text_since(0)
    check("first_boot_makes_a_secret", "secret new this boot" in serial and "not certified" in serial,
          "no 'secret new this boot ... not certified' in the boot log")
    digests, measurement = expected_log()
    out = run(m, "tee")
    shown = re.findall(r"^\s*\d+ (kernel|initrd|cmdline)\s+([0-9a-f]{64})", out, re.M)
    check("log_digests_equal_b3sum", [d for _, d in shown] == digests, f"{shown} vs {digests}")
    check("image_measurement_replays", f"image measurement {measurement}" in out, out)
    check("log_lists_started_programs", re.search(r"program [0-9a-f]{64} init\n", out) is not None and
          re.search(r"program [0-9a-f]{64} shell\n", out) is not None, out)
    out = run(m, "version")
    check("version_shows_measurement", f"image measurement {measurement}" in out, out)
    out = run(m, "tee quote")
    check("uncertified_device_cannot_quote", "this device cannot quote" in out, out)
    out = run(m, "tee seal " + PHRASE)
    sealed = hex_lines(out)
    check("seal_prints_hex", len(sealed) >= 3, out)
    shutdown(m)
    return sealed, measurement


def provision(work, image):
    secret, cert = os.path.join(work, "device.secret"), os.path.join(work, "device.cert")
    mtools("mcopy", "-i", image, "::/nexacore/device.secret", secret)
    ok = os.path.getsize(secret) == 32
    check("secret_kept_on_the_esp", ok, f"{os.path.getsize(secret)} bytes")
    subprocess.run([NC_TEE, "provision", "--root-key", f"@{B}/tee/vendor-root.key", "--secret", secret,
                    "--cert", cert], check=True)
    mtools("mcopy", "-o", "-i", image, cert, "::/nexacore/device.cert")


def paste(m, command, lines):
    """Run a command that reads hex lines until an empty line."""
    m.send(command + "\r")
    m.expect(r"hex> ", timeout=60)
    for line in lines:
        m.send(line + "\r")
        m.expect(r"hex> ", timeout=60)
    return run(m, "")


def unseal(m, sealed):
    return paste(m, "tee unseal", sealed)


def boot_b(work, image, sealed, measurement):
    m = boot(image, "b", snapshot=True)
    check("same_image_after_reboot", f"image measurement {measurement[:16]}" in m.text_since(0) and
          "certified" in m.text_since(0), "measurement or certification line missing")
    out = unseal(m, sealed)
    check("unseal_after_reboot", f"\n{PHRASE}\n" in out, out)
    out = run(m, f"tee quote {NONCE}")
    quote = "".join(hex_lines(out))
    policy = os.path.join(work, "policy")
    subprocess.run([NC_TEE, "policy", "--kernel", f"{B}/kernel/nexacore.elf", "--initrd", f"{B}/initrd.tar",
                    "--cmdline", "", "--out", policy], check=True)
    v = subprocess.run([NC_TEE, "verify", "--quote", quote, "--root", f"@{B}/tee/vendor-root.pub",
                        "--policy", f"@{policy}", "--nonce", NONCE], capture_output=True, text=True)
    check("host_verifies_quote", v.returncode == 0 and f"measurement {measurement}" in v.stdout,
          v.stdout + v.stderr)
    v = subprocess.run([NC_TEE, "verify", "--quote", quote, "--root", f"@{B}/tee/vendor-root.pub",
                        "--policy", f"@{policy}", "--nonce", "00" * 32], capture_output=True, text=True)
    check("host_refuses_other_nonce", v.returncode == 1 and "NC_TEE_ERR_STALE" in v.stderr, v.stderr)
    out = run(m, "tee verify")
    check("shell_verifies_quote", "verified: backend dev" in out, out)
    # the pasted lines go through the same reader as `tee unseal` and the same
    # check as `tee verify`; two lines of a quote are not a quote
    out = paste(m, "tee verify -", hex_lines(run(m, f"tee quote {NONCE}"))[:2])
    check("shell_refuses_a_pasted_partial_quote",
          "TeeVerifyPolicy: an argument is out of its documented range" in out, out)
    out = run(m, "tee verify /motd")
    check("shell_refuses_a_file_that_is_no_quote",
          "TeeVerifyPolicy: an argument is out of its documented range" in out, out)
    shutdown(m)


def boot_c(work, image, sealed, measurement):
    changed = os.path.join(work, "changed.img")
    initrd = os.path.join(work, "initrd")
    shutil.copy(image, changed)
    mtools("mcopy", "-i", changed, "::/nexacore/initrd", initrd)
    with open(initrd, "r+b") as f:
        data = f.read()
        at = data.index(b"NexaCore", 512)  # file content (the motd), not a tar header
        f.seek(at)
        f.write(b"M")
    mtools("mcopy", "-o", "-i", changed, initrd, "::/nexacore/initrd")
    m = boot(changed, "c", snapshot=True)
    out = run(m, "tee")
    check("changed_initrd_changes_measurement",
          "image measurement" in out and f"image measurement {measurement}" not in out, out)
    out = unseal(m, sealed)
    check("changed_image_cannot_unseal", "TeeUnseal: a policy refuses it" in out and PHRASE not in out, out)
    shutdown(m)


def main():
    work = tempfile.mkdtemp(prefix="nc-tee-qemu-")
    try:
        image = os.path.join(work, "esp.img")
        shutil.copy(f"{B}/esp.img", image)
        mtools("mdel", "-i", image, "::/nexacore/device.secret", "::/nexacore/device.cert")
        sealed, measurement = boot_a(work, image)
        provision(work, image)
        boot_b(work, image, sealed, measurement)
        boot_c(work, image, sealed, measurement)
    except (ExpectTimeout, subprocess.CalledProcessError, OSError, ValueError) as e:
        check("run", False, repr(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

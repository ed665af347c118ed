"""make screenshot: boot build/esp.img, run `ps` in the shell and save the
framebuffer (QEMU monitor screendump, PNG) to the path given (default
build/screenshot.png)."""
import sys
from qemu_driver import Machine

out = sys.argv[1] if len(sys.argv) > 1 else "build/screenshot.png"
with Machine("build/esp.img", log="build/test-logs/screenshot.serial") as m:
    m.expect(r"\nnexacore> ", timeout=120)
    m.send("ps\r")
    m.expect(r"\nnexacore> ", timeout=60)
    m.send("caps\r")
    m.expect(r"\nnexacore> ", timeout=60)
    m.screendump(out)
print(f"screenshot: {out}")

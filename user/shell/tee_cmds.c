/* tee: the TEE from the shell (docs/shell.md, docs/attestation.md).
 *   tee                  the measurement log: the image measurement, the
 *                        running register, every entry
 *   tee quote [NONCE]    a quote over report data 0^32 || NONCE (32 bytes of
 *                        hex; zeros when absent), printed as hex lines and
 *                        kept as the last quote
 *   tee verify [FILE|-]  verify a quote (FILE: its bytes in an initrd file;
 *                        "-": typed as hex lines; none: the last quote)
 *                        against a policy accepting this image, with the
 *                        last quote's nonce, and print its claims
 *   tee seal WORD...     seal the words (joined by spaces) to this image;
 *                        the sealed bytes are printed as hex lines
 *   tee unseal [HEX...]  open sealed bytes given as hex words or, with none,
 *                        typed as hex lines, ended by an empty line
 * The initrd is read-only and there is no writable file system yet, so sealed
 * data and quotes travel as hex on the console. */
#include "nexacore.h"
#include <nc/ulib.h>
#include <nc/hex.h>
#include <nc/mem.h>
#include <nc/tee.h>

enum { HEX_LINE_BYTES = 32, LOG_CAP = 16384, INPUT_CAP = NC_SYS_TEE_QUOTE_MAX_BYTES };

static struct {
	uint8_t quote[NC_SYS_TEE_QUOTE_MAX_BYTES];
	size_t quote_len;
	uint8_t nonce[NC_TEE_NONCE_BYTES];
	uint8_t input[INPUT_CAP]; /* hex lines being typed */
	size_t input_len;
	bool input_bad;
	void (*done)(shell_t *sh, const uint8_t *bytes, size_t len);
	uint8_t log[LOG_CAP];
	nc_tee_log_entry_t entries[256];
	uint8_t out[NC_SYS_TEE_SEAL_MAX_BYTES + 1024];
} t;

static void print_hex(shell_t *sh, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		shell_printf(sh, "%02x", p[i]);
}

/* Bytes as hex, HEX_LINE_BYTES to a line. */
static void print_hex_lines(shell_t *sh, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += HEX_LINE_BYTES) {
		print_hex(sh, p + i, n - i < HEX_LINE_BYTES ? n - i : HEX_LINE_BYTES);
		shell_printf(sh, "\n");
	}
}

/* Append the hex text s to out[*len..cap); false if not hex or too long. */
static bool append_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = nc_str_len(s);
	if (n % 2 || *len + n / 2 > cap)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int hi = nc_hex_digit_value(s[i]), lo = nc_hex_digit_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[(*len)++] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* The measurement log, decoded and replayed. */
static shell_err_t read_log(shell_t *sh, nc_tee_log_t *log, bool *complete)
{
	uint64_t n;
	nc_sys_err_t err = nc_sys_tee_measurement_log(t.log, sizeof t.log, &n);
	if (err)
		return shell_os_fail(sh, "TeeMeasurementLog", err);
	nc_tee_err_t terr = nc_tee_log_decode(t.log, n, log, t.entries, 256, complete);
	if (terr) {
		shell_printf(sh, "tee: the measurement log does not decode: %s\n", nc_tee_err_name(terr));
		return SHELL_ERR_SYSTEM;
	}
	return SHELL_OK;
}

static const char *kind_name(uint8_t kind)
{
	switch (kind) {
	case NC_TEE_LOG_KERNEL: return "kernel";
	case NC_TEE_LOG_INITRD: return "initrd";
	case NC_TEE_LOG_CMDLINE: return "cmdline";
	case NC_TEE_LOG_PROGRAM: return "program";
	case NC_TEE_LOG_DRIVER: return "driver";
	case NC_TEE_LOG_SERVICE: return "service";
	}
	return "?";
}

static shell_err_t show_log(shell_t *sh)
{
	nc_tee_log_t log;
	bool complete;
	shell_err_t err = read_log(sh, &log, &complete);
	if (err)
		return err;
	shell_printf(sh, "image measurement ");
	print_hex(sh, log.boot, 32);
	shell_printf(sh, "\nlog register      ");
	print_hex(sh, log.current, 32);
	shell_printf(sh, "\n%u entries%s:\n", log.n_entries, complete ? "" : " (the first ones shown)");
	for (uint32_t i = 0; i < log.cap; i++) {
		shell_printf(sh, "%3u %-7s ", i, kind_name(t.entries[i].kind));
		print_hex(sh, t.entries[i].digest, 32);
		shell_printf(sh, " %.*s\n", t.entries[i].name_len, t.entries[i].name);
	}
	return SHELL_OK;
}

static void show_measurement(shell_t *sh)
{
	nc_tee_log_t log;
	bool complete;
	if (read_log(sh, &log, &complete) == SHELL_OK) {
		shell_printf(sh, "image measurement ");
		print_hex(sh, log.boot, 32);
		shell_printf(sh, "\n");
	}
}

void shell_tee_version(shell_t *sh) { show_measurement(sh); }

static shell_err_t quote(shell_t *sh, int argc, char **argv)
{
	uint8_t rd[NC_SYS_TEE_REPORT_DATA_BYTES] = { 0 };
	size_t n = 0;
	uint64_t len;
	if (argc > 3 || (argc == 3 && (!append_hex(argv[2], t.nonce, sizeof t.nonce, &n) || n != 32)))
		return SHELL_ERR_USAGE;
	if (argc == 2)
		nc_mem_set(t.nonce, 0, sizeof t.nonce);
	nc_mem_copy(rd + NC_TEE_NONCE_OFFSET, t.nonce, sizeof t.nonce);
	nc_sys_err_t err = nc_sys_tee_attest(rd, t.quote, sizeof t.quote, &len);
	if (err == NC_SYS_ERR_UNSUPPORTED) {
		shell_printf(sh, "tee: this device cannot quote (no device secret, or no vendor certificate)\n");
		return SHELL_ERR_UNSUPPORTED;
	}
	if (err)
		return shell_os_fail(sh, "TeeAttest", err);
	t.quote_len = len;
	print_hex_lines(sh, t.quote, len);
	return SHELL_OK;
}

/* Verify q against a policy accepting this image and the last nonce. */
static void verify_bytes(shell_t *sh, const uint8_t *q, size_t len)
{
	nc_tee_log_t log;
	bool complete;
	nc_tee_policy_t p;
	nc_tee_claims_t c;
	uint8_t pol[NC_TEE_POLICY_MAX_BYTES], claims[NC_TEE_CLAIMS_MAX_BYTES];
	size_t pol_len;
	uint64_t n;
	if (read_log(sh, &log, &complete))
		return;
	nc_mem_set(&p, 0, sizeof p);
	p.backend = NC_TEE_BACKEND_DEV;
	p.n_measurements = 1;
	nc_mem_copy(p.measurements[0], log.boot, 32);
	p.has_nonce = true;
	nc_mem_copy(p.nonce, t.nonce, sizeof t.nonce);
	nc_tee_policy_encode(&p, pol, sizeof pol, &pol_len);
	nc_sys_err_t err = nc_sys_tee_verify_policy(q, len, pol, pol_len, claims, sizeof claims, &n);
	if (err) {
		shell_os_fail(sh, "TeeVerifyPolicy", err);
		return;
	}
	nc_tee_claims_decode(claims, n, &c);
	shell_printf(sh, "verified: backend %s, TCB %u, measurement of this image, log register ",
		     nc_tee_backend_name(c.backend), c.tcb_svn);
	print_hex(sh, c.log_digest, 8);
	shell_printf(sh, "... (%u entries), device ", c.log_entries);
	print_hex(sh, c.device_id, 8);
	shell_printf(sh, "...\n");
}

static void unseal_bytes(shell_t *sh, const uint8_t *s, size_t len)
{
	uint64_t n;
	nc_sys_err_t err = nc_sys_tee_unseal(s, len, t.out, sizeof t.out - 1, &n);
	if (err) {
		shell_os_fail(sh, "TeeUnseal", err);
		return;
	}
	t.out[n] = 0;
	shell_printf(sh, "%.*s\n", (int)n, (const char *)t.out);
}

/* Hex lines until an empty line (or Ctrl-D), then t.done on the bytes. */
static void on_hex_line(shell_t *sh, const char *line)
{
	if (line && *line) {
		if (!append_hex(line, t.input, sizeof t.input, &t.input_len))
			t.input_bad = true;
		return;
	}
	if (line)
		shell_leave_mode(sh);
	if (t.input_bad)
		shell_printf(sh, "tee: not hex, or longer than %d bytes\n", INPUT_CAP);
	else
		t.done(sh, t.input, t.input_len);
}

static shell_err_t read_hex_lines(shell_t *sh, void (*done)(shell_t *, const uint8_t *, size_t))
{
	t.input_len = 0;
	t.input_bad = false;
	t.done = done;
	shell_printf(sh, "hex lines, then an empty line:\n");
	shell_enter_mode(sh, on_hex_line, "hex> ");
	return SHELL_OK;
}

static shell_err_t verify(shell_t *sh, int argc, char **argv)
{
	if (argc > 3)
		return SHELL_ERR_USAGE;
	if (argc == 2) {
		if (!t.quote_len) {
			shell_printf(sh, "tee: no quote yet (tee quote makes one)\n");
			return SHELL_ERR_USAGE;
		}
		verify_bytes(sh, t.quote, t.quote_len);
		return SHELL_OK;
	}
	if (!nc_str_compare(argv[2], "-"))
		return read_hex_lines(sh, verify_bytes);
	uint64_t h, got = 0;
	size_t len = 0;
	nc_sys_err_t err = nc_sys_fs_open(argv[2], nc_str_len(argv[2]), 0, &h);
	if (err)
		return shell_os_fail(sh, argv[2], err);
	do {
		err = nc_fd_read_some(h, t.input + len, sizeof t.input - len, &got);
		len += err ? 0 : got;
	} while (!err && got && len < sizeof t.input);
	nc_sys_handle_close(h);
	if (err)
		return shell_os_fail(sh, argv[2], err);
	verify_bytes(sh, t.input, len);
	return SHELL_OK;
}

static shell_err_t seal(shell_t *sh, int argc, char **argv)
{
	static char text[NC_LE_LINE_MAX];
	size_t n = 0;
	uint64_t len;
	if (argc < 3)
		return SHELL_ERR_USAGE;
	for (int i = 2; i < argc; i++) {
		size_t k = nc_str_len(argv[i]);
		if (i > 2)
			text[n++] = ' ';
		nc_mem_copy(text + n, argv[i], k);
		n += k;
	}
	nc_sys_err_t err = nc_sys_tee_seal(text, n, t.out, sizeof t.out, &len);
	if (err)
		return shell_os_fail(sh, "TeeSeal", err);
	print_hex_lines(sh, t.out, len);
	return SHELL_OK;
}

static shell_err_t unseal(shell_t *sh, int argc, char **argv)
{
	if (argc == 2)
		return read_hex_lines(sh, unseal_bytes);
	t.input_len = 0;
	for (int i = 2; i < argc; i++)
		if (!append_hex(argv[i], t.input, sizeof t.input, &t.input_len))
			return SHELL_ERR_USAGE;
	unseal_bytes(sh, t.input, t.input_len);
	return SHELL_OK;
}

static shell_err_t cmd_tee(shell_t *sh, int argc, char **argv)
{
	if (argc == 1)
		return show_log(sh);
	if (!nc_str_compare(argv[1], "quote"))
		return quote(sh, argc, argv);
	if (!nc_str_compare(argv[1], "verify"))
		return verify(sh, argc, argv);
	if (!nc_str_compare(argv[1], "seal"))
		return seal(sh, argc, argv);
	if (!nc_str_compare(argv[1], "unseal"))
		return unseal(sh, argc, argv);
	return SHELL_ERR_USAGE;
}

const shell_cmd_t shell_tee_cmds[] = {
	{ "tee", "tee [quote [NONCE] | verify [FILE|-] | seal WORD... | unseal [HEX...]]",
	  "measurements, quotes and sealing (docs/attestation.md)", cmd_tee, false },
};
const size_t shell_n_tee_cmds = sizeof shell_tee_cmds / sizeof shell_tee_cmds[0];

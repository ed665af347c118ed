/* nc-tee: the TEE layer on the host (docs/attestation.md). The build uses it
 * to make the development vendor root and to provision the development
 * device; tests and people use it to compute an image's measurement, make
 * policies, inspect and verify quotes and measurement logs, and seal or open
 * NexaCore envelopes. Values are hex on the command line, "@FILE" (its raw
 * bytes) or "-" (hex on stdin); every file nc-tee writes holds raw bytes. Exit status: 0 success, 1 refused (the
 * error is named on stderr), 2 usage. */
#include "io.h"
#include <nc/crypto.h>
#include <nc/envelope.h>
#include <nc/tee_dev.h>
#include <nc/tee_snp.h>
#include <nc/tee_tdx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, MAX_REPEAT = 16, MAX_FILE = 64 << 20 };

static const char usage[] =
	"usage: nc-tee COMMAND [--option value]...\n"
	"  root-gen   --key FILE --pub FILE              a new vendor root (seed and public key)\n"
	"  provision  --root-key V --secret FILE [--new] --cert FILE\n"
	"                                                certify a device (--new: make its secret first)\n"
	"  measure    --kernel FILE --initrd FILE [--cmdline TEXT]   the image measurement a loader takes\n"
	"  policy     (--measurement V... | --kernel F --initrd F [--cmdline T]) [--min-tcb N]\n"
	"             [--log-digest V]... [--nonce V] --out FILE|-\n"
	"  attest     --secret V --cert V (--kernel F --initrd F [--cmdline T]) --report-data V --out FILE|-\n"
	"                                                quote as that development device would\n"
	"  inspect    --quote V                          print what a quote states (not verified)\n"
	"  verify     --quote V --root V... [--policy V] [--nonce V]\n"
	"  log        --log V                            decode and replay a measurement log\n"
	"  keygen     --secret FILE --pub FILE           an X25519 key pair for envelopes\n"
	"  report-data --pub V --nonce V                 report data binding a key and a nonce\n"
	"  seal       --quote V --root V... --policy V --nonce V --in FILE --out FILE\n"
	"  open       --secret V --quote V --in FILE --out FILE\n";

typedef struct {
	const char *name;
	const char *values[MAX_REPEAT];
	int n;
} opt_t;

static opt_t opts[] = {
	{ .name = "key" }, { .name = "pub" }, { .name = "root-key" }, { .name = "secret" }, { .name = "cert" }, { .name = "kernel" }, { .name = "initrd" },
	{ .name = "cmdline" }, { .name = "measurement" }, { .name = "min-tcb" }, { .name = "log-digest" }, { .name = "nonce" }, { .name = "out" },
	{ .name = "report-data" }, { .name = "quote" }, { .name = "root" }, { .name = "policy" }, { .name = "log" }, { .name = "in" }, { .name = "new" },
};

static opt_t *opt(const char *name)
{
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

static const char *get(const char *name) { return opt(name)->n ? opt(name)->values[0] : NULL; }

static bool parse(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		opt_t *o = strncmp(argv[i], "--", 2) ? NULL : opt(argv[i] + 2);
		if (!o || o->n == MAX_REPEAT) {
			fprintf(stderr, "nc-tee: unknown or repeated option %s\n", argv[i]);
			return false;
		}
		if (!strcmp(o->name, "new"))
			o->values[o->n++] = "yes";
		else if (i + 1 < argc)
			o->values[o->n++] = argv[++i];
		else {
			fprintf(stderr, "nc-tee: %s needs a value\n", argv[i]);
			return false;
		}
	}
	return true;
}

static int refused(const char *what, const char *err)
{
	fprintf(stderr, "nc-tee: %s: %s\n", what, err);
	return EXIT_REFUSED;
}

static void print_field(const char *name, const uint8_t *p, size_t n)
{
	printf("%s ", name);
	io_print_hex(p, n);
	printf("\n");
}

/* ---- the image's measurement, as the loader and kernel take it ---------- */

static bool digest_file(const char *path, uint8_t out[32])
{
	static uint8_t buf[MAX_FILE];
	size_t n;
	if (!path || !io_read_file(path, buf, sizeof buf, &n)) {
		fprintf(stderr, "nc-tee: cannot read %s\n", path ? path : "(missing --kernel/--initrd)");
		return false;
	}
	nc_crypto_blake3(out, 32, buf, n);
	return true;
}

/* The boot part of the log: kernel, initrd, command line. */
static bool image_log(nc_tee_log_t *log, nc_tee_log_entry_t *st)
{
	uint8_t d[3][32];
	const char *cmdline = get("cmdline") ? get("cmdline") : "";
	if (!digest_file(get("kernel"), d[0]) || !digest_file(get("initrd"), d[1]))
		return false;
	nc_crypto_blake3(d[2], 32, cmdline, strlen(cmdline));
	nc_tee_log_init(log, st, 3);
	nc_tee_log_extend(log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, d[0]);
	nc_tee_log_extend(log, NC_TEE_LOG_INITRD, "initrd", 6, d[1]);
	nc_tee_log_extend(log, NC_TEE_LOG_CMDLINE, "cmdline", 7, d[2]);
	nc_tee_log_end_boot(log);
	return true;
}

static int cmd_measure(void)
{
	nc_tee_log_entry_t st[3];
	nc_tee_log_t log;
	if (!image_log(&log, st))
		return EXIT_USAGE;
	print_field("kernel", st[0].digest, 32);
	print_field("initrd", st[1].digest, 32);
	print_field("cmdline", st[2].digest, 32);
	print_field("measurement", log.boot, 32);
	return EXIT_OK;
}

static bool build_policy(nc_tee_policy_t *p)
{
	memset(p, 0, sizeof *p);
	p->backend = NC_TEE_BACKEND_DEV;
	p->min_tcb_svn = get("min-tcb") ? (uint32_t)strtoul(get("min-tcb"), NULL, 10) : NC_TEE_DEV_TCB_SVN;
	for (int i = 0; i < opt("measurement")->n; i++)
		if (!io_fixed("--measurement", opt("measurement")->values[i], p->measurements[p->n_measurements++], 32))
			return false;
	if (get("kernel")) {
		nc_tee_log_entry_t st[3];
		nc_tee_log_t log;
		if (!image_log(&log, st) || p->n_measurements == MAX_REPEAT)
			return false;
		memcpy(p->measurements[p->n_measurements++], log.boot, 32);
	}
	for (int i = 0; i < opt("log-digest")->n; i++)
		if (!io_fixed("--log-digest", opt("log-digest")->values[i], p->log_digests[p->n_log_digests++], 32))
			return false;
	p->has_nonce = get("nonce") != NULL;
	return !p->has_nonce || io_fixed("--nonce", get("nonce"), p->nonce, 32);
}

static int cmd_policy(void)
{
	nc_tee_policy_t p;
	uint8_t buf[NC_TEE_POLICY_MAX_BYTES];
	size_t n;
	if (!build_policy(&p) || !get("out"))
		return EXIT_USAGE;
	nc_tee_err_t err = nc_tee_policy_encode(&p, buf, sizeof buf, &n);
	if (err)
		return refused("policy", nc_tee_err_name(err));
	return io_write(get("out"), buf, n) ? EXIT_OK : EXIT_REFUSED;
}

/* ---- vendor root and device provisioning ---------------------------------- */

static bool random_bytes(uint8_t *out, size_t n) { return nc_crypto_random(out, n) == NC_CRYPTO_OK; }

static int cmd_root_gen(void)
{
	uint8_t seed[32], pk[32], sk[64];
	if (!get("key") || !get("pub"))
		return EXIT_USAGE;
	if (!random_bytes(seed, sizeof seed))
		return refused("root-gen", "no randomness");
	nc_tee_dev_root_keypair(seed, pk, sk);
	bool ok = io_write(get("key"), seed, sizeof seed) && io_write(get("pub"), pk, sizeof pk);
	nc_crypto_wipe(seed, sizeof seed);
	nc_crypto_wipe(sk, sizeof sk);
	return ok ? EXIT_OK : EXIT_REFUSED;
}

static int cmd_provision(void)
{
	uint8_t seed[32], pk[32], sk[64], secret[NC_TEE_DEV_MAX_SECRET_BYTES], device_pk[32];
	uint8_t cert[NC_TEE_DEV_CERT_BYTES];
	size_t secret_len;
	const char *path = get("secret");
	if (!path || !get("cert") || !io_fixed("--root-key", get("root-key"), seed, 32))
		return EXIT_USAGE;
	if (get("new")) {
		secret_len = 32;
		if (!random_bytes(secret, secret_len) || !io_write(path, secret, secret_len))
			return refused("provision", "cannot make the device secret");
	} else if (!io_read_file(path, secret, sizeof secret, &secret_len))
		return refused("provision", "cannot read the device secret");
	nc_tee_err_t err = nc_tee_dev_device_key(secret, secret_len, device_pk);
	nc_crypto_wipe(secret, sizeof secret);
	if (err)
		return refused("provision", nc_tee_err_name(err));
	nc_tee_dev_root_keypair(seed, pk, sk);
	nc_tee_dev_certify(cert, sk, device_pk);
	nc_crypto_wipe(sk, sizeof sk);
	return io_write(get("cert"), cert, sizeof cert) ? EXIT_OK : EXIT_REFUSED;
}

/* ---- quotes --------------------------------------------------------------- */

static uint8_t quote[NC_TEE_QUOTE_MAX_BYTES];

static int cmd_attest(void)
{
	uint8_t secret[NC_TEE_DEV_MAX_SECRET_BYTES], cert[NC_TEE_DEV_CERT_BYTES], rd[64];
	size_t secret_len, cert_len, n;
	nc_tee_log_entry_t st[3];
	nc_tee_log_t log;
	nc_tee_t tee;
	nc_tee_dev_t dev;
	if (!io_value("--secret", get("secret"), secret, sizeof secret, &secret_len) ||
	    !io_value("--cert", get("cert"), cert, sizeof cert, &cert_len) ||
	    !io_fixed("--report-data", get("report-data"), rd, sizeof rd) || !get("out") || !image_log(&log, st))
		return EXIT_USAGE;
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &log, NC_TEE_DEV_TCB_SVN, cert, cert_len };
	nc_tee_err_t err = nc_tee_dev_open(&tee, &dev, secret, secret_len, &cfg);
	nc_crypto_wipe(secret, sizeof secret);
	if (!err)
		err = nc_tee_attest(&tee, rd, quote, sizeof quote, &n);
	nc_tee_close(&tee);
	if (err)
		return refused("attest", nc_tee_err_name(err));
	return io_write(get("out"), quote, n) ? EXIT_OK : EXIT_REFUSED;
}

static void print_claims(const nc_tee_claims_t *c)
{
	printf("backend %s\ntcb_svn %u\n", nc_tee_backend_name(c->backend), c->tcb_svn);
	print_field("measurement", c->measurement, 32);
	print_field("log_digest", c->log_digest, 32);
	printf("log_entries %u\n", c->log_entries);
	print_field("report_data", c->report_data, 64);
	print_field("device_id", c->device_id, 16);
}

static int inspect_layout(uint32_t backend, const uint8_t *ev, size_t ev_len)
{
	nc_tee_err_t err;
	if (backend == NC_TEE_BACKEND_TDX) {
		nc_tee_tdx_quote_t t;
		if ((err = nc_tee_tdx_parse(ev, ev_len, &t)))
			return refused("tdx quote", nc_tee_err_name(err));
		print_field("mr_td", t.mr_td, 48);
		for (int i = 0; i < 4; i++)
			print_field(i == 0 ? "rtmr0" : i == 1 ? "rtmr1" : i == 2 ? "rtmr2" : "rtmr3", t.rtmr[i], 48);
		print_field("report_data", t.report_data, 64);
		return EXIT_OK;
	}
	nc_tee_snp_report_t s;
	if (ev_len < NC_TEE_SNP_REPORT_BYTES || (err = nc_tee_snp_parse(ev, NC_TEE_SNP_REPORT_BYTES, &s)))
		return refused("snp report", nc_tee_err_name(ev_len < NC_TEE_SNP_REPORT_BYTES ? NC_TEE_ERR_FORMAT : err));
	printf("version %u\nvmpl %u\n", s.version, s.vmpl);
	print_field("measurement", s.measurement, 48);
	print_field("report_data", s.report_data, 64);
	return EXIT_OK;
}

static int cmd_inspect(void)
{
	size_t len, ev_len;
	uint32_t backend;
	const uint8_t *ev;
	if (!io_value("--quote", get("quote"), quote, sizeof quote, &len))
		return EXIT_USAGE;
	nc_tee_err_t err = nc_tee_quote_unwrap(quote, len, &backend, &ev, &ev_len);
	if (err)
		return refused("quote", nc_tee_err_name(err));
	printf("quote version %u, backend %s, %zu bytes of evidence (not verified)\n", NC_TEE_QUOTE_VERSION,
	       nc_tee_backend_name(backend), ev_len);
	if (backend != NC_TEE_BACKEND_DEV)
		return backend == NC_TEE_BACKEND_TDX || backend == NC_TEE_BACKEND_SNP
			       ? inspect_layout(backend, ev, ev_len)
			       : refused("quote", nc_tee_err_name(NC_TEE_ERR_BACKEND));
	nc_tee_dev_evidence_t e;
	if ((err = nc_tee_dev_parse_evidence(ev, ev_len, &e)))
		return refused("evidence", nc_tee_err_name(err));
	print_claims(&e.claims);
	print_field("certified_by", e.cert.root_id, 16);
	return EXIT_OK;
}

static bool load_roots(uint8_t roots[MAX_REPEAT][32], nc_tee_roots_t *r)
{
	for (int i = 0; i < opt("root")->n; i++)
		if (!io_fixed("--root", opt("root")->values[i], roots[i], 32))
			return false;
	r->keys = (const uint8_t(*)[32])roots;
	r->n_keys = (size_t)opt("root")->n;
	return true;
}

/* The policy from --policy, with --nonce laid over it. */
static bool load_policy(nc_tee_policy_t *p)
{
	uint8_t buf[NC_TEE_POLICY_MAX_BYTES];
	size_t n;
	if (!io_value("--policy", get("policy"), buf, sizeof buf, &n))
		return false;
	nc_tee_err_t err = nc_tee_policy_decode(buf, n, p);
	if (err) {
		refused("policy", nc_tee_err_name(err));
		return false;
	}
	if (get("nonce"))
		p->has_nonce = io_fixed("--nonce", get("nonce"), p->nonce, 32);
	return !get("nonce") || p->has_nonce;
}

static int cmd_verify(void)
{
	uint8_t roots[MAX_REPEAT][32];
	nc_tee_roots_t r;
	nc_tee_policy_t p;
	nc_tee_claims_t c;
	size_t len;
	if (!io_value("--quote", get("quote"), quote, sizeof quote, &len) || !load_roots(roots, &r) ||
	    (get("policy") && !load_policy(&p)))
		return EXIT_USAGE;
	nc_tee_err_t err = nc_tee_verify_quote(quote, len, &r, get("policy") ? &p : NULL, &c);
	if (err)
		return refused("verify", nc_tee_err_name(err));
	printf("verified%s\n", get("policy") ? " against the policy" : " (chain only, no policy)");
	print_claims(&c);
	return EXIT_OK;
}

static int cmd_log(void)
{
	static uint8_t buf[1 << 16];
	static nc_tee_log_entry_t st[4096];
	nc_tee_log_t log;
	size_t n;
	bool complete;
	if (!io_value("--log", get("log"), buf, sizeof buf, &n))
		return EXIT_USAGE;
	nc_tee_err_t err = nc_tee_log_decode(buf, n, &log, st, 4096, &complete);
	if (err)
		return refused("log", nc_tee_err_name(err));
	uint32_t stored = log.n_entries < log.cap ? log.n_entries : log.cap;
	for (uint32_t i = 0; i < stored; i++) {
		printf("%3u %-8s %-24.*s ", i, i < log.n_boot ? "boot" : "runtime", st[i].name_len, st[i].name);
		io_print_hex(st[i].digest, 32);
		printf("\n");
	}
	print_field("measurement", log.boot, 32);
	print_field("current", log.current, 32);
	printf("entries %u, %s\n", log.n_entries, complete ? "complete (replayed)" : "incomplete");
	return EXIT_OK;
}

/* ---- envelopes ------------------------------------------------------------ */

static int cmd_keygen(void)
{
	uint8_t sk[NC_HPKE_SECRET_BYTES], pk[NC_HPKE_PUBLIC_BYTES];
	if (!get("secret") || !get("pub"))
		return EXIT_USAGE;
	if (nc_hpke_generate_keypair(sk, pk))
		return refused("keygen", "no randomness");
	bool ok = io_write(get("secret"), sk, sizeof sk) && io_write(get("pub"), pk, sizeof pk);
	nc_crypto_wipe(sk, sizeof sk);
	return ok ? EXIT_OK : EXIT_REFUSED;
}

static int cmd_report_data(void)
{
	uint8_t pk[32], nonce[32], rd[64];
	if (!io_fixed("--pub", get("pub"), pk, 32) || !io_fixed("--nonce", get("nonce"), nonce, 32))
		return EXIT_USAGE;
	nc_envelope_report_data(rd, pk, nonce);
	io_print_hex(rd, sizeof rd);
	printf("\n");
	return EXIT_OK;
}

static uint8_t payload[NC_ENVELOPE_MAX_PAYLOAD], envelope[NC_ENVELOPE_MAX_PAYLOAD + NC_ENVELOPE_MAX_OVERHEAD];

static int cmd_seal(void)
{
	uint8_t roots[MAX_REPEAT][32];
	nc_tee_roots_t r;
	nc_tee_policy_t p;
	nc_envelope_sender_t s;
	nc_tee_err_t why;
	size_t qlen, n, m;
	if (!io_value("--quote", get("quote"), quote, sizeof quote, &qlen) || !load_roots(roots, &r) ||
	    !load_policy(&p) || !get("in") || !get("out") || !io_read_file(get("in"), payload, sizeof payload, &n))
		return EXIT_USAGE;
	nc_envelope_err_t err = nc_envelope_sender_open(&s, quote, qlen, &r, &p, &why);
	if (err) {
		fprintf(stderr, "nc-tee: seal: %s (%s)\n", nc_envelope_err_name(err), nc_tee_err_name(why));
		return EXIT_REFUSED;
	}
	err = nc_envelope_seal(&s, payload, n, envelope, sizeof envelope, &m);
	nc_envelope_sender_close(&s);
	if (err)
		return refused("seal", nc_envelope_err_name(err));
	return io_write(get("out"), envelope, m) ? EXIT_OK : EXIT_REFUSED;
}

static int cmd_open(void)
{
	uint8_t sk[NC_HPKE_SECRET_BYTES];
	nc_envelope_recipient_t r;
	size_t qlen, n, m;
	if (!io_fixed("--secret", get("secret"), sk, sizeof sk) ||
	    !io_value("--quote", get("quote"), quote, sizeof quote, &qlen) || !get("in") || !get("out") ||
	    !io_read_file(get("in"), envelope, sizeof envelope, &n))
		return EXIT_USAGE;
	nc_envelope_recipient_init(&r, sk, quote, qlen);
	nc_crypto_wipe(sk, sizeof sk);
	nc_envelope_err_t err = nc_envelope_open(&r, envelope, n, payload, sizeof payload, &m);
	nc_envelope_recipient_close(&r);
	if (err)
		return refused("open", nc_envelope_err_name(err));
	return io_write(get("out"), payload, m) ? EXIT_OK : EXIT_REFUSED;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cmds[] = {
		{ "root-gen", cmd_root_gen }, { "provision", cmd_provision }, { "measure", cmd_measure },
		{ "policy", cmd_policy },     { "attest", cmd_attest },       { "inspect", cmd_inspect },
		{ "verify", cmd_verify },     { "log", cmd_log },             { "keygen", cmd_keygen },
		{ "report-data", cmd_report_data }, { "seal", cmd_seal },     { "open", cmd_open },
	};
	if (nc_crypto_init() != NC_CRYPTO_OK)
		return refused("init", "libsodium failed to initialise");
	for (size_t i = 0; argc >= 2 && i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			if (!parse(argc, argv))
				return EXIT_USAGE;
			int rc = cmds[i].fn();
			if (rc == EXIT_USAGE)
				fputs(usage, stderr);
			return rc;
		}
	fputs(usage, stderr);
	return EXIT_USAGE;
}

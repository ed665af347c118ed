/* libFuzzer target: arbitrary source text through nc_ncs_run under small limits.
 * Any crash, sanitizer report, leak (live bytes must return to zero) or hang is
 * a bug. Effects get a handler so the gate and reply paths run too, and a loader
 * serves one module ("m...") so `use` paths run. */
#include <nc/ncs.h>
#include <stdlib.h>

static uint64_t live;

static void *fz_alloc(void *ud, void *p, size_t old, size_t n)
{
	(void)ud;
	if (!n) {
		live -= p ? old : 0;
		free(p);
		return NULL;
	}
	void *q = realloc(p, n);
	if (q)
		live += n - (p ? old : 0);
	return q;
}

static uint64_t fz_now;
static uint64_t fz_clock(void *ud)
{
	(void)ud;
	return fz_now += 10;
}

static nc_ncs_err_t fz_handler(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n,
			       nc_ncs_reply_t *reply, const char **msg)
{
	(void)ud;
	(void)fx;
	(void)msg;
	return n ? nc_ncs_reply_text(reply, args[0].ptr, args[0].len_bytes) : NC_NCS_OK;
}

/* Module `m...` is pure; module `h...` has its own capability header, so the
 * per-module grant check and gate run too. */
static bool fz_load(void *ud, const char *path, const char **src, size_t *len, const char **file)
{
	static const char lib[] = "pub fn f(x) { x + 1 }\npub struct S { a: Int }\n";
	static const char capped[] = "#![capabilities(fs.read(\"/tmp\"), net.connect)]\n"
				     "pub fn g(p) { fs::read(p) }\npub fn c(a) { net::connect(a) }\n";
	(void)ud;
	if (path[0] != 'm' && path[0] != 'h')
		return false;
	*src = path[0] == 'm' ? lib : capped;
	*len = path[0] == 'm' ? sizeof lib - 1 : sizeof capped - 1;
	*file = path[0] == 'm' ? "m.ncs" : "h.ncs";
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const nc_ncs_handler_t handlers[] = {
		{ NC_NCS_FX_FS_READ, "/", fz_handler, NULL },
		{ NC_NCS_FX_AI_INVOKE, "*", fz_handler, NULL },
	};
	nc_ncs_config_t cfg = { 0 };
	cfg.alloc = fz_alloc;
	cfg.clock = fz_clock;
	cfg.limits.max_steps = 20000;
	cfg.limits.max_alloc_bytes = 1 << 20;
	cfg.limits.deadline_micros = 1000000;
	cfg.limits.max_call_depth = 64;
	cfg.limits.max_output_bytes = 1 << 16;
	cfg.load = fz_load;
	cfg.handlers = handlers;
	cfg.n_handlers = 2;
	nc_ncs_result_t r;
	nc_ncs_run(&cfg, "fuzz.ncs", (const char *)data, size, &r);
	nc_ncs_result_fini(&cfg, &r);
	if (live != 0)
		abort();
	return 0;
}

/* The ncScript embedder for WebAssembly (contract in embed.h): the allocator
 * (heap.c), the clock and effect handlers imported from JS, a module table for
 * `use`, and the result summary ncs.js reads. */
#include "embed.h"
#include "heap.h"
#include <nc/mem.h>
#include <nc/ncs.h>

#define IMPORT(name) __attribute__((import_module("ncs_host"), import_name(#name)))

_Static_assert(__builtin_offsetof(nc_wasm_result_t, message_len) == 36, "ncs.js reads these offsets");
_Static_assert(__builtin_offsetof(nc_wasm_result_t, steps) == 40, "ncs.js reads these offsets");

enum { MAX_MODULES = 64, MAX_HANDLERS = 32, EFFECT_MESSAGE_MAX = 256 };

/* Microseconds from a monotonic JS clock (performance.now()). */
IMPORT(clock_us) double host_clock_us(void);
/* Serve effect fx with the script's n_args String arguments at args. Returns 0 when
 * the effect succeeded (its texts were added with nc_wasm_reply_text), nonzero when
 * it failed (after nc_wasm_effect_fail). */
IMPORT(effect) int host_effect(int fx, const nc_ncs_str_t *args, size_t n_args);

typedef struct {
	const char *path;      /* "a" or "a::b", NUL-terminated */
	const char *file;      /* the name messages give it */
	const char *src;
	size_t len;
} module_t;

static struct {
	nc_ncs_config_t cfg;
	nc_ncs_handler_t handlers[MAX_HANDLERS];
	module_t modules[MAX_MODULES];
	size_t n_modules;
	nc_ncs_result_t result;
	nc_wasm_result_t summary;
	nc_ncs_reply_t *reply;     /* the effect being served, else NULL */
	nc_ncs_err_t reply_err;    /* first failure adding its texts */
	char effect_message[EFFECT_MESSAGE_MAX];
	char *scratch;
	size_t scratch_bytes;
} w;

static uint64_t clock_us(void *ud)
{
	(void)ud;
	double t = host_clock_us();
	return t > 0 ? (uint64_t)t : 0;
}

static bool load_module(void *ud, const char *path, const char **src, size_t *len, const char **file)
{
	(void)ud;
	for (size_t i = 0; i < w.n_modules; i++)
		if (!nc_str_compare(w.modules[i].path, path)) {
			*src = w.modules[i].src;
			*len = w.modules[i].len;
			*file = w.modules[i].file;
			return true;
		}
	return false;
}

static nc_ncs_err_t serve_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
				 nc_ncs_reply_t *reply, const char **message)
{
	(void)ud;
	w.reply = reply;
	w.reply_err = NC_NCS_OK;
	w.effect_message[0] = 0;
	int failed = host_effect((int)fx, args, n_args);
	w.reply = NULL;
	if (w.reply_err)
		return w.reply_err;
	if (failed) {
		*message = w.effect_message;
		return NC_NCS_ERR_EFFECT;
	}
	return NC_NCS_OK;
}

void nc_wasm_reset(void)
{
	nc_wasm_heap_reset();
	nc_mem_set(&w, 0, sizeof w);
	w.cfg.alloc = nc_wasm_heap_alloc;
	w.cfg.clock = clock_us;
	w.cfg.load = load_module;
	w.cfg.handlers = w.handlers;
}

void *nc_wasm_input(size_t n)
{
	return nc_wasm_heap_alloc(NULL, NULL, 0, n ? n : 1);
}

char *nc_wasm_scratch(size_t n)
{
	if (n > w.scratch_bytes) {
		char *b = nc_wasm_heap_alloc(NULL, w.scratch, w.scratch_bytes, n);
		if (!b)
			return NULL;
		w.scratch = b;
		w.scratch_bytes = n;
	}
	return w.scratch;
}

const char *nc_wasm_effect_name(int fx)
{
	return fx >= 0 && fx < NC_NCS_FX_COUNT ? nc_ncs_effect_name((nc_ncs_effect_t)fx) : NULL;
}

/* In nc_ncs_effect_t's order (nc/ncs.h). */
static const char *const effect_calls[] = {
	"fs::read", "fs::write", "fs::list", "net::connect", "net::send", "net::recv",
	"ai::invoke", "ai::stream", "ai::embed", "ai::classify", "agent::task",
	"fs::append", "fs::remove", "fs::mkdir", "ai::transcribe", "net::fetch",
};
_Static_assert(sizeof effect_calls / sizeof effect_calls[0] == NC_NCS_FX_COUNT, "one call per effect");

const char *nc_wasm_effect_call(int fx)
{
	return fx >= 0 && fx < NC_NCS_FX_COUNT ? effect_calls[fx] : NULL;
}

bool nc_wasm_add_module(const char *path, const char *file, const char *src, size_t len)
{
	if (w.n_modules == MAX_MODULES)
		return false;
	w.modules[w.n_modules++] = (module_t){ path, file, src, len };
	return true;
}

bool nc_wasm_add_handler(int fx, const char *scope)
{
	if (fx < 0 || fx >= NC_NCS_FX_COUNT || w.cfg.n_handlers == MAX_HANDLERS)
		return false;
	w.handlers[w.cfg.n_handlers++] = (nc_ncs_handler_t){ (nc_ncs_effect_t)fx, scope, serve_effect, NULL };
	return true;
}

int nc_wasm_reply_text(const char *text, size_t len)
{
	if (!w.reply)
		return NC_NCS_ERR_INVALID;
	nc_ncs_err_t e = nc_ncs_reply_text(w.reply, text, len);
	if (e && !w.reply_err)
		w.reply_err = e;
	return e;
}

void nc_wasm_effect_fail(const char *text, size_t len)
{
	if (len >= EFFECT_MESSAGE_MAX)
		len = EFFECT_MESSAGE_MAX - 1;
	nc_mem_copy(w.effect_message, text, len);
	w.effect_message[len] = 0;
}

static uint64_t count(double v)
{
	return v > 0 ? (uint64_t)v : 0;
}

int nc_wasm_run(const char *file, const char *src, size_t len, double max_steps,
				    double max_alloc_bytes, double deadline_micros, double max_call_depth,
				    double max_output_bytes)
{
	w.cfg.limits.max_steps = count(max_steps);
	w.cfg.limits.max_alloc_bytes = count(max_alloc_bytes);
	w.cfg.limits.deadline_micros = count(deadline_micros);
	w.cfg.limits.max_call_depth = max_call_depth < 4294967296.0 ? (uint32_t)count(max_call_depth) : UINT32_MAX;
	w.cfg.limits.max_output_bytes = count(max_output_bytes);
	nc_ncs_result_t *r = &w.result;
	nc_ncs_err_t err = nc_ncs_run(&w.cfg, file, src, len, r);
	w.summary = (nc_wasm_result_t){
		.err = err,
		.err_class = nc_ncs_err_class(err),
		.kind = r->kind,
		.err_name = nc_ncs_err_name(err),
		.value = r->value,
		.value_len = (uint32_t)r->value_len,
		.output = r->output,
		.output_len = (uint32_t)r->output_len,
		.message = r->message,
		.message_len = (uint32_t)r->message_len,
		.steps = (double)r->steps,
		.peak_alloc_bytes = (double)r->peak_alloc_bytes,
	};
	return err;
}

const nc_wasm_result_t *nc_wasm_result(void)
{
	return &w.summary;
}

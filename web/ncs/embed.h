/* The ncScript embedder for WebAssembly: what tools/ncs is on a host, for a web page.
 * Linked with the wasm flavour of lib/ncs, lib/scope and lib/base into ncs.wasm;
 * web/ncs/ncs.js is its only intended caller. Every function here is a wasm export
 * of the same name.
 *
 * The embedder supplies what the freestanding library asks of every host: the
 * allocator (heap.c), the clock and the effect handlers, the last two imported from
 * JS (module "ncs_host": clock_us() and effect(fx, args, n_args), see embed.c).
 * One run at a time, in this order:
 *   nc_wasm_reset();                        forget the previous run (heap included)
 *   nc_wasm_input(n) ...                    room for the sources, names and scopes JS writes
 *   nc_wasm_add_module, nc_wasm_add_handler the files `use` may load, the host's grants
 *   nc_wasm_run(...)                        compile and run; then read nc_wasm_result()
 * While the `effect` import runs, JS may call nc_wasm_scratch, nc_wasm_reply_text
 * and nc_wasm_effect_fail, and nothing else. Not thread-safe (one wasm thread). */
#ifndef NC_WASM_EMBED_H
#define NC_WASM_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_WASM_EXPORT(name) __attribute__((export_name(#name)))

/* What JS reads after a run: ncs.js reads these fields at fixed offsets (wasm32:
 * pointers and uint32_t take 4 bytes), checked by static asserts in embed.c. */
typedef struct {
	uint32_t err;          /* nc_ncs_err_t */
	uint32_t err_class;    /* nc_ncs_class_t */
	uint32_t kind;         /* nc_ncs_val_kind_t of main's value */
	const char *err_name;  /* static, NUL-terminated ("NC_NCS_ERR_LIMIT_STEPS") */
	const char *value;     /* main's value as ncs prints it after "=> " */
	uint32_t value_len;
	const char *output;    /* what the script printed, also on error */
	uint32_t output_len;
	const char *message;   /* on error: file:line:col: error: ..., source line, caret */
	uint32_t message_len;
	double steps;          /* instructions executed */
	double peak_alloc_bytes;
} nc_wasm_result_t;

/* Forget the previous run: its result, modules, handlers and every heap block. */
NC_WASM_EXPORT(nc_wasm_reset) void nc_wasm_reset(void);

/* n bytes for JS to write an input into, valid until the next nc_wasm_reset;
 * NULL when the memory cannot grow. */
NC_WASM_EXPORT(nc_wasm_input) void *nc_wasm_input(size_t n);

/* During an effect: a buffer of at least n bytes for one reply text, valid until
 * the next call (so repeated effects reuse it); NULL when the memory cannot grow.
 * Not counted toward the script's memory limit (nc_ncs_reply_text copies and counts). */
NC_WASM_EXPORT(nc_wasm_scratch) char *nc_wasm_scratch(size_t n);

/* Capability name of effect number fx ("fs.read"; "fs.write" also for fs::append,
 * fs::remove and fs::mkdir), NULL outside 0..NC_NCS_FX_COUNT-1. */
NC_WASM_EXPORT(nc_wasm_effect_name) const char *nc_wasm_effect_name(int fx);
/* The script's call for effect number fx ("fs::append"), NULL outside
 * 0..NC_NCS_FX_COUNT-1: it tells apart the effects one capability covers. */
NC_WASM_EXPORT(nc_wasm_effect_call) const char *nc_wasm_effect_call(int fx);

/* Let `use` find module path ("util::strs" for util/strs.ncs) as file (the name in
 * messages) with source src[0..len). The strings are borrowed until the next
 * nc_wasm_reset. False when the table (64 modules) is full. */
NC_WASM_EXPORT(nc_wasm_add_module) bool nc_wasm_add_module(const char *path, const char *file, const char *src,
							   size_t len);

/* Grant effect fx inside scope (a lib/scope scope, NUL-terminated, borrowed until the
 * next reset), served by the `effect` import. False when fx is unknown or the table
 * (32 grants) is full. */
NC_WASM_EXPORT(nc_wasm_add_handler) bool nc_wasm_add_handler(int fx, const char *scope);

/* During an effect: add the reply text text[0..len) (copied; charged to the script).
 * Returns the nc_ncs_err_t (NC_NCS_ERR_INVALID outside an effect); a failure also
 * fails the effect. */
NC_WASM_EXPORT(nc_wasm_reply_text) int nc_wasm_reply_text(const char *text, size_t len);

/* During an effect: the failure message text[0..len) (copied, cut to 255 bytes), for
 * an `effect` import that then returns nonzero (NC_NCS_ERR_EFFECT). */
NC_WASM_EXPORT(nc_wasm_effect_fail) void nc_wasm_effect_fail(const char *text, size_t len);

/* Compile and run src[0..len) (named file in messages, NUL-terminated) with the
 * modules and grants added since the reset, under these limits (whole numbers,
 * 0 meaning the nc_ncs_limits_t default: none, or the default call depth).
 * Returns the nc_ncs_err_t; the details are in nc_wasm_result(). */
NC_WASM_EXPORT(nc_wasm_run) int nc_wasm_run(const char *file, const char *src, size_t len, double max_steps,
					    double max_alloc_bytes, double deadline_micros, double max_call_depth,
					    double max_output_bytes);

/* The outcome of the last nc_wasm_run; it and its strings stay valid until the next
 * nc_wasm_reset. */
NC_WASM_EXPORT(nc_wasm_result) const nc_wasm_result_t *nc_wasm_result(void);

#endif

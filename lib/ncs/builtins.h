/* Builtin functions of the pure standard library (string, math, array), print,
 * and the host effects; the table in builtins.c maps module::name and method
 * names to these. Also the VM's services to builtins (vm*.c, lib_map.c).
 * Internal to lib/ncs. */
#ifndef NCS_BUILTINS_H
#define NCS_BUILTINS_H

#include "map.h"
#include "program.h"

typedef struct ncs_vm ncs_vm_t;
/* args[0..n) are borrowed; *out receives a new reference. For methods args[0] is
 * the receiver place (mutating builtins change it in place). */
typedef bool (*ncs_builtin_fn)(ncs_vm_t *vm, ncs_value_t *args, uint32_t n, ncs_value_t *out);
typedef struct {
	const char *module;        /* "string", "math", "array", "fs", ... */
	const char *name;
	ncs_builtin_fn fn;
	uint8_t min_args, max_args;
	uint8_t mutates;           /* method form changes its receiver */
	uint8_t recv;              /* method receiver family: 0 none, 1 string, 2 array, 3 map */
} ncs_builtin_t;

extern const ncs_builtin_t ncs_builtins[];
extern const uint32_t ncs_n_builtins;
/* Index of module::name in ncs_builtins, or -1. */
int ncs_builtin_find(const char *module, size_t mlen, const char *name, size_t nlen);
int ncs_builtin_find_method(uint8_t recv, const char *name, size_t nlen);

/* Helpers for builtins. */
bool ncs_vm_fail(ncs_vm_t *vm, nc_ncs_err_t err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
ncs_state_t *ncs_vm_state(ncs_vm_t *vm);
/* The module whose code called the running builtin (its capabilities apply). */
const ncs_module_t *ncs_vm_caller_module(ncs_vm_t *vm);
bool ncs_vm_charge(ncs_vm_t *vm, uint64_t steps);
/* A walk (ncs_walk_t) bounded by the steps this run has left plus paid, the
 * parts the caller has charged already (one per element a builtin paid for,
 * one for the instruction). */
ncs_walk_t ncs_vm_walk(ncs_vm_t *vm, uint64_t paid);
/* Charge a finished walk's parts beyond paid as steps; false with the
 * step-limit error when it ran over its budget, the deadline error when the
 * deadline passed during it. */
bool ncs_vm_walked(ncs_vm_t *vm, const ncs_walk_t *w, uint64_t paid);
/* a == b for the VM: false with the step-limit error when the walk runs out. */
bool ncs_vm_equal(ncs_vm_t *vm, ncs_value_t a, ncs_value_t b, bool *eq);
/* Call the script function or closure value fn with args[0..n) (borrowed; they
 * must not point into the VM stack) from inside a builtin: the callee runs to
 * completion in a nested dispatch loop under the run's limits (its instructions
 * count as steps, its frames toward max_call_depth and live bytes, the deadline
 * is checked) and *out receives its result (a new reference). The call may move
 * the VM stack: the calling builtin's args pointer is invalid afterwards.
 * Returns false with the error recorded: NC_NCS_ERR_TYPE (not a function),
 * NC_NCS_ERR_ARGS (arity), NC_NCS_ERR_LIMIT_DEPTH (also when callbacks nest
 * deeper than NCS_VM_CALLBACK_DEPTH_MAX), or whatever the callee raised, which
 * is reported at the callee's instruction with the builtin's caller in the trace. */
bool ncs_vm_call(ncs_vm_t *vm, ncs_value_t fn, const ncs_value_t *args, uint32_t n, ncs_value_t *out);
bool ncs_vm_print(ncs_vm_t *vm, const char *s, size_t n);
/* m[key]: *out receives the value (a new reference); a missing key is
 * NC_NCS_ERR_INDEX, a key of the wrong type NC_NCS_ERR_TYPE (lib_map.c). */
bool ncs_map_index_get(ncs_vm_t *vm, const ncs_map_t *m, ncs_value_t key, ncs_value_t *out);
/* map[key] = val on the map in *slot (copied first when shared); key and val
 * are borrowed. */
bool ncs_map_index_set(ncs_vm_t *vm, ncs_value_t *slot, ncs_value_t key, ncs_value_t val);

/* The capability gate (effect.c) for builtins that reach a resource other
 * than their first argument (net::fetch checks each hop's "HOST:PORT"):
 * permit checks fx on res[0..len) against the calling module's header and
 * the host's handlers for fx: true with *h the handler to run, or *h NULL
 * when the host installed none (the call stays inert); false with
 * NC_NCS_ERR_CAP_DENIED recorded. invoke runs h with sargs[0..n) (*out: its
 * reply, a new reference; false with NC_NCS_ERR_EFFECT or the reply's error
 * recorded); inert makes the effect value of fx(args[0..n)). */
bool ncs_effect_permit(ncs_vm_t *vm, nc_ncs_effect_t fx, const char *res, size_t len, const nc_ncs_handler_t **h);
bool ncs_effect_invoke(ncs_vm_t *vm, const nc_ncs_handler_t *h, nc_ncs_effect_t fx, const nc_ncs_str_t *sargs,
		       uint32_t n, ncs_value_t *out);
bool ncs_effect_inert(ncs_vm_t *vm, nc_ncs_effect_t fx, const ncs_value_t *args, uint32_t n, ncs_value_t *out);

#define NCS_BUILTIN(name) bool name(ncs_vm_t *vm, ncs_value_t *args, uint32_t n, ncs_value_t *out)

NCS_BUILTIN(ncs_b_print);
/* string */
NCS_BUILTIN(ncs_b_str_len); NCS_BUILTIN(ncs_b_str_upper); NCS_BUILTIN(ncs_b_str_lower);
NCS_BUILTIN(ncs_b_str_trim); NCS_BUILTIN(ncs_b_str_split); NCS_BUILTIN(ncs_b_str_contains);
NCS_BUILTIN(ncs_b_str_starts_with); NCS_BUILTIN(ncs_b_str_ends_with); NCS_BUILTIN(ncs_b_str_replace);
NCS_BUILTIN(ncs_b_str_find); NCS_BUILTIN(ncs_b_str_from_int); NCS_BUILTIN(ncs_b_str_to_int);
NCS_BUILTIN(ncs_b_str_to_float); NCS_BUILTIN(ncs_b_str_chars); NCS_BUILTIN(ncs_b_str_repeat);
NCS_BUILTIN(ncs_b_str_slice); NCS_BUILTIN(ncs_b_str_is_empty); NCS_BUILTIN(ncs_b_str_from);
/* math */
NCS_BUILTIN(ncs_b_math_abs); NCS_BUILTIN(ncs_b_math_min); NCS_BUILTIN(ncs_b_math_max);
NCS_BUILTIN(ncs_b_math_pow); NCS_BUILTIN(ncs_b_math_sqrt); NCS_BUILTIN(ncs_b_math_floor);
NCS_BUILTIN(ncs_b_math_ceil); NCS_BUILTIN(ncs_b_math_round); NCS_BUILTIN(ncs_b_math_pi);
NCS_BUILTIN(ncs_b_math_clamp);
/* array */
NCS_BUILTIN(ncs_b_arr_len); NCS_BUILTIN(ncs_b_arr_is_empty); NCS_BUILTIN(ncs_b_arr_push);
NCS_BUILTIN(ncs_b_arr_pop); NCS_BUILTIN(ncs_b_arr_get); NCS_BUILTIN(ncs_b_arr_insert);
NCS_BUILTIN(ncs_b_arr_remove); NCS_BUILTIN(ncs_b_arr_contains); NCS_BUILTIN(ncs_b_arr_index_of);
NCS_BUILTIN(ncs_b_arr_sort); NCS_BUILTIN(ncs_b_arr_sort_by); NCS_BUILTIN(ncs_b_arr_reverse); NCS_BUILTIN(ncs_b_arr_join);
NCS_BUILTIN(ncs_b_arr_first); NCS_BUILTIN(ncs_b_arr_last); NCS_BUILTIN(ncs_b_arr_slice);
NCS_BUILTIN(ncs_b_arr_clear); NCS_BUILTIN(ncs_b_arr_sum);
/* map */
NCS_BUILTIN(ncs_b_map_new); NCS_BUILTIN(ncs_b_map_from); NCS_BUILTIN(ncs_b_map_len);
NCS_BUILTIN(ncs_b_map_is_empty); NCS_BUILTIN(ncs_b_map_insert); NCS_BUILTIN(ncs_b_map_get);
NCS_BUILTIN(ncs_b_map_get_or); NCS_BUILTIN(ncs_b_map_contains_key); NCS_BUILTIN(ncs_b_map_remove);
NCS_BUILTIN(ncs_b_map_clear); NCS_BUILTIN(ncs_b_map_keys); NCS_BUILTIN(ncs_b_map_values);
/* effects */
NCS_BUILTIN(ncs_b_fs_read); NCS_BUILTIN(ncs_b_fs_write); NCS_BUILTIN(ncs_b_fs_list);
NCS_BUILTIN(ncs_b_fs_append); NCS_BUILTIN(ncs_b_fs_remove); NCS_BUILTIN(ncs_b_fs_mkdir);
NCS_BUILTIN(ncs_b_net_connect); NCS_BUILTIN(ncs_b_net_send); NCS_BUILTIN(ncs_b_net_recv);
NCS_BUILTIN(ncs_b_net_fetch);
NCS_BUILTIN(ncs_b_ai_invoke); NCS_BUILTIN(ncs_b_ai_stream); NCS_BUILTIN(ncs_b_ai_embed);
NCS_BUILTIN(ncs_b_ai_classify); NCS_BUILTIN(ncs_b_agent_task);
NCS_BUILTIN(ncs_b_ai_transcribe);

/* Helpers for builtins: argument checks that fail the run with NC_NCS_ERR_TYPE. */
bool ncs_arg_str(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_str_t **out);
bool ncs_arg_int(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, int64_t *out);
bool ncs_arg_arr(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_arr_t **out);
/* Some(v) / None / Ok(v) / Err(v); v's reference is transferred. */
bool ncs_make_variant(ncs_vm_t *vm, uint32_t id, ncs_value_t v, ncs_value_t *out);

#endif

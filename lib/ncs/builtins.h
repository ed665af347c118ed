/* Builtin functions of the pure standard library (string, math, array), print,
 * and the host effects. The table in builtins.c maps module::name and method
 * names to these. Internal to lib/ncs. */
#ifndef NCS_BUILTINS_H
#define NCS_BUILTINS_H

#include "ncs_int.h"

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
NCS_BUILTIN(ncs_b_net_connect); NCS_BUILTIN(ncs_b_net_send); NCS_BUILTIN(ncs_b_net_recv);
NCS_BUILTIN(ncs_b_ai_invoke); NCS_BUILTIN(ncs_b_ai_stream); NCS_BUILTIN(ncs_b_ai_embed);
NCS_BUILTIN(ncs_b_ai_classify); NCS_BUILTIN(ncs_b_agent_task);

/* Helpers for builtins: argument checks that fail the run with NC_NCS_ERR_TYPE. */
bool ncs_arg_str(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_str_t **out);
bool ncs_arg_int(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, int64_t *out);
bool ncs_arg_arr(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_arr_t **out);
/* Some(v) / None / Ok(v) / Err(v); v's reference is transferred. */
bool ncs_make_variant(ncs_vm_t *vm, uint32_t id, ncs_value_t v, ncs_value_t *out);

#endif

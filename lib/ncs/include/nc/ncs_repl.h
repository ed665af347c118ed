/* An ncScript REPL session, independent of any terminal: the host `ncs` and
 * the NexaCore shell both drive one.
 *
 * Each input is either an item (its first token is fn, struct, enum, impl, use
 * or pub: kept for later inputs) or a statement/expression. Inputs whose last
 * token is ';', and block-like ones whose last token is '}' and whose value is
 * (), are statements and are kept (comments before or after count for nothing);
 * every evaluation re-runs all kept statements plus the new input inside
 * `fn main()`. Runs are deterministic, so the output of earlier inputs is a
 * prefix of the new output and only the new part belongs to this input.
 * Memory comes from cfg->alloc; one session per caller; not thread-safe. */
#ifndef NC_NCS_REPL_H
#define NC_NCS_REPL_H

#include <nc/ncs.h>

typedef struct nc_ncs_repl nc_ncs_repl_t;

/* Start a session over cfg (borrowed: keep it alive and unchanged while the
 * session lives). Errors: NC_NCS_ERR_INVALID (cfg or cfg->alloc NULL),
 * NC_NCS_ERR_NOMEM. */
nc_ncs_err_t nc_ncs_repl_create(const nc_ncs_config_t *cfg, nc_ncs_repl_t **out);
void nc_ncs_repl_destroy(nc_ncs_repl_t *repl);

/* True while text[0..len_bytes) has unclosed ( [ { outside strings and
 * comments, or ends inside a block comment: the caller should read another
 * line and append it. */
bool nc_ncs_repl_needs_more(const char *text, size_t len_bytes);

/* Evaluate one complete input (trailing blanks ignored; an empty input does
 * nothing and returns NC_NCS_OK with *out zeroed). *out is as nc_ncs_run gives
 * it (release with nc_ncs_result_fini); out->output[*new_output..] is what this
 * input printed. On success items and statements are kept for later inputs. */
nc_ncs_err_t nc_ncs_repl_eval(nc_ncs_repl_t *repl, const char *input, size_t len_bytes,
			      nc_ncs_result_t *out, size_t *new_output);

#endif

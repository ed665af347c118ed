/* The client side of the Ai* calls (user/lib/ai_client.c), shared by the `ai`
 * command, ncScript's ai:: effects and the tests: generation options with the
 * engine's sampling defaults (nc_ai_gen_params_default, lib/ai: the one place
 * they are set), the ai_request they become, streaming over a channel, and
 * decimal parsing of the options. Needs lib/ai (for the defaults). */
#ifndef NC_AI_CLIENT_H
#define NC_AI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/ai_env.h>
#include <nc/syscalls.h>

enum { NC_AI_CLIENT_STOPS_MAX = 8, NC_AI_CLIENT_STOP_BYTES = 512 };

typedef struct {
	const char *model;
	const char *input;
	size_t input_len;
	uint64_t max_tokens;
	uint64_t temperature_milli, top_k, top_p_milli, repeat_penalty_milli, seed;
	uint64_t deadline_ns;
	bool cloud;                       /* consent to tier 3 (AI_FLAG_CLOUD) */
	char stops[NC_AI_CLIENT_STOP_BYTES];  /* NUL-ended stop strings (or labels) */
	size_t stops_len;
} nc_ai_opts_t;

/* Options with the engine's defaults (temperature 0.8, top-k 40, top-p 0.95,
 * repetition penalty 1.0, 64 tokens, seed 0) for model and input (borrowed). */
void nc_ai_opts_default(nc_ai_opts_t *o, const char *model, const char *input, size_t input_len);
/* Append a NUL-ended string (a stop string or a label). false: no room. */
bool nc_ai_opts_add_string(nc_ai_opts_t *o, const char *s, size_t len);
/* The ai_request for o (pointing into o: keep it alive while used). */
void nc_ai_opts_request(const nc_ai_opts_t *o, nc_sys_ai_request_t *r);

/* lib/ai's allocator over nc_malloc (blocks over-allocated for the alignment
 * the engine asks), for programs that run the engine themselves. */
extern const nc_ai_alloc_t nc_ai_user_alloc;

/* "1.25" -> 1250: a non-negative decimal with up to three fractional digits
 * into thousandths. false when s is not one or exceeds max_milli. */
bool nc_ai_parse_milli(const char *s, uint64_t max_milli, uint64_t *out);
/* A decimal integer <= max. */
bool nc_ai_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* Called with each token's bytes as it arrives; return false to stop (the
 * session is then cancelled by closing the channel). */
typedef bool (*nc_ai_on_bytes_t)(void *ctx, const uint8_t *bytes, size_t len);

/* Generate with o, streaming (AiStreamParams over a new channel). *end gets
 * the end message (reason AI_END_CANCELLED when on_bytes stopped it).
 * Errors: those of AiStreamParams, IpcReceive; PEER_CLOSED (the service ended
 * the session without an end message). */
nc_sys_err_t nc_ai_stream(const nc_ai_opts_t *o, nc_ai_on_bytes_t on_bytes, void *ctx,
                          nc_sys_ai_stream_end_t *end);

#endif

/* Running jobs (aisvc.h) with lib/ai: the tier-0 provider. A generation runs
 * in turns of AISVC_SLICE_TOKENS tokens (nc_ai_gen_next); AiInvoke collects
 * the text and answers at the end, AiStream sends the tokens as messages
 * (AI_MSG_TOKEN) and ends with an ai_stream_end. A message carries the tokens
 * made since the last one: the first token goes at once, a later one waits for
 * the next while that is expected (at the pace of the last token) before the
 * message's first token is AISVC_BATCH_NS old; a turn's last token never waits.
 * (A message per token cost a send and a wake-up of the reader each: streams
 * ran at 0.82-0.89 x AiInvoke's speed, bench/user/ai.) A stream whose channel is
 * full parks (the message waits in the job) and ends if it stays full for
 * AISVC_STALL_NS; a closed channel ends it when the next message is sent (at
 * most a turn later). Embeddings,
 * classification and transcription run in one turn. Memory for contexts and
 * transcription scratch is charged to AISVC_CTX_BUDGET first. */
#include "aisvc.h"

#include <nc/ai_asr.h>
#include <nc/mem.h>

typedef enum { SEND_OK, SEND_FULL, SEND_GONE } send_t;

static bool is_stream(const aisvc_job_t *j)
{
	return j->op == NC_SYS_AI_STREAM || j->op == NC_SYS_AI_STREAM_PARAMS;
}

static void answer(uint64_t port, const aisvc_job_t *j, nc_sys_err_t st, uint64_t result, const void *data,
                   size_t len)
{
	nc_service_answer(port, j->id, st, result, data, len); /* CANCELLED: the caller is gone */
}

static nc_sys_err_t from_ai(nc_ai_err_t e)
{
	switch (e) {
	case NC_AI_OK:
		return NC_SYS_OK;
	case NC_AI_ERR_NOMEM:
		return NC_SYS_ERR_NO_MEMORY;
	case NC_AI_ERR_CONTEXT_FULL:
		return NC_SYS_ERR_LIMIT;
	case NC_AI_ERR_BUFFER:
		return NC_SYS_ERR_TOO_SMALL;
	default:
		return NC_SYS_ERR_INVALID;
	}
}

void aisvc_job_drop(aisvc_job_t *j)
{
	if (j->ctx) {
		nc_ai_ctx_destroy(j->ctx);
		j->ctx = NULL;
	}
	if (j->ctx_bytes) {
		aisvc_ctx_uncharge(j->ctx_bytes);
		j->ctx_bytes = 0;
	}
	if (j->model && j->started)
		aisvc_store_release(j->model);
	j->started = false;
	nc_free(j->out);
	j->out = NULL;
	if (j->chan) {
		nc_sys_handle_close(j->chan);
		j->chan = 0;
	}
}

/* End a job that failed: streams get an end message (best effort), calls the
 * error. */
static aisvc_run_t fail(aisvc_job_t *j, uint64_t port, nc_sys_err_t err)
{
	if (is_stream(j)) {
		nc_sys_ai_stream_end_t e = { NC_SYS_AI_MSG_END, NC_SYS_AI_END_ERROR, j->n_tokens, err };
		nc_sys_ipc_send(j->chan, &e, sizeof e, NULL, 0, 0);
	} else {
		answer(port, j, err, 0, NULL, 0);
	}
	aisvc_job_drop(j);
	return AISVC_RUN_DONE;
}

/* ---- contexts ---- */

/* A context of n_ctx positions for j, charged to the budget. Errors: LIMIT
 * (can never fit), NO_MEMORY; *wait: not now, try later. */
static nc_sys_err_t make_ctx(aisvc_job_t *j, uint32_t n_ctx, bool *wait)
{
	nc_ai_model_t *m = aisvc_model_text(j->model);
	size_t bytes = nc_ai_ctx_bytes(m, n_ctx);
	bool never;
	*wait = false;
	if (!aisvc_ctx_charge(bytes, &never)) {
		*wait = !never;
		return never ? NC_SYS_ERR_LIMIT : NC_SYS_OK;
	}
	j->ctx_bytes = bytes;
	nc_ai_ctx_params_t cp = { n_ctx, aisvc_simd, &aisvc_pool };
	return from_ai(nc_ai_ctx_create(m, &cp, &nc_ai_user_alloc, &j->ctx));
}

/* Tokens of text[0..len) into a new block (*ids, *n); at most cap tokens
 * (else LIMIT). */
static nc_sys_err_t tokens_of(nc_ai_model_t *m, const char *text, size_t len, uint32_t cap, int32_t **ids,
                              size_t *n)
{
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	*ids = nc_malloc((cap + 1) * sizeof(int32_t));
	if (!*ids)
		return NC_SYS_ERR_NO_MEMORY;
	nc_ai_err_t e = nc_ai_tokenize(m, text, len, h.add_bos ? NC_AI_TOK_ADD_BOS : 0, *ids, cap, n);
	if (e) {
		nc_free(*ids);
		*ids = NULL;
	}
	return e == NC_AI_ERR_BUFFER ? NC_SYS_ERR_LIMIT : from_ai(e);
}

static uint32_t n_ctx_max(nc_ai_model_t *m)
{
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	return h.n_ctx_train < AISVC_CTX_MAX ? h.n_ctx_train : AISVC_CTX_MAX;
}

/* ---- generation ---- */

static void gen_params(aisvc_job_t *j)
{
	const nc_sys_ai_payload_t *p = &j->p;
	nc_ai_gen_params_t *g = &j->gp;
	nc_ai_gen_params_default(g);
	if (!(p->flags & NC_SYS_AI_FLAG_DEFAULTS)) {
		g->temperature = (float)p->temperature_milli / 1000.0f;
		g->top_k = (uint32_t)p->top_k;
		g->top_p = p->top_p_milli ? (float)p->top_p_milli / 1000.0f : 1.0f;
		g->repeat_penalty = p->repeat_penalty_milli ? (float)p->repeat_penalty_milli / 1000.0f : 1.0f;
		g->seed = p->seed;
	}
	if (p->max_tokens)
		g->max_tokens = (uint32_t)p->max_tokens;
	size_t n = 0;
	for (size_t at = 0; at < p->extra_len && n < AISVC_STOPS_MAX; n++) {
		j->stops[n] = j->extra + at;
		at += nc_str_len(j->extra + at) + 1;
	}
	g->stop_strings = j->stops;
	g->n_stop_strings = n;
}

/* First turn of a generation: model, prompt, context, prompt evaluation. */
static nc_sys_err_t gen_start(aisvc_job_t *j, bool *wait)
{
	nc_ai_model_t *m = aisvc_model_text(j->model);
	uint32_t limit = n_ctx_max(m);
	int32_t *ids;
	size_t n;
	nc_sys_err_t err = tokens_of(m, j->input, j->p.input_len, limit, &ids, &n);
	if (err)
		return err;
	gen_params(j);
	uint64_t want = n + j->gp.max_tokens;
	err = n == 0 ? NC_SYS_ERR_INVALID : n >= limit ? NC_SYS_ERR_LIMIT : NC_SYS_OK;
	if (!err)
		err = make_ctx(j, want < limit ? (uint32_t)want : limit, wait);
	if (!err && !*wait && !is_stream(j) && !(j->out = nc_malloc(j->out_max + 1)))
		err = NC_SYS_ERR_NO_MEMORY;
	if (!err && !*wait)
		err = from_ai(nc_ai_gen_begin(&j->gen, j->ctx, &j->gp, ids, n));
	nc_free(ids);
	return err;
}

static send_t send(aisvc_job_t *j, const void *msg, size_t len)
{
	nc_sys_err_t err = nc_sys_ipc_send(j->chan, msg, len, NULL, 0, 0);
	if (err == NC_SYS_ERR_TIMED_OUT) {
		nc_mem_copy(j->pending, msg, len);
		j->pending_len = len;
		return SEND_FULL;
	}
	return err ? SEND_GONE : SEND_OK;
}

static uint64_t end_reason(nc_ai_stop_t why)
{
	switch (why) {
	case NC_AI_STOP_TOKEN:
		return NC_SYS_AI_END_EOS;
	case NC_AI_STOP_STRING:
		return NC_SYS_AI_END_STOP;
	case NC_AI_STOP_CONTEXT:
		return NC_SYS_AI_END_CONTEXT;
	default:
		return NC_SYS_AI_END_LENGTH;
	}
}

/* Send the tokens gathered in the batch (a stream's). */
static send_t flush(aisvc_job_t *j)
{
	size_t n = j->batch_len;
	j->batch_len = 0;
	return n ? send(j, j->batch, n) : SEND_OK;
}

/* The generation ended for reason: answer (AiInvoke) or send the end message
 * (after the tokens not sent yet). */
static aisvc_run_t gen_end(aisvc_job_t *j, uint64_t port, uint64_t reason)
{
	if (!is_stream(j)) {
		answer(port, j, NC_SYS_OK, j->out_len, j->out, j->out_len);
		aisvc_job_drop(j);
		return AISVC_RUN_DONE;
	}
	send_t r = flush(j);
	if (r == SEND_FULL) /* the next turn sends them, then comes here again */
		return AISVC_RUN_PARKED;
	nc_sys_ai_stream_end_t e = { NC_SYS_AI_MSG_END, reason, j->n_tokens, NC_SYS_OK };
	j->ending = true;
	if (r == SEND_OK && send(j, &e, sizeof e) == SEND_FULL)
		return AISVC_RUN_PARKED;
	aisvc_job_drop(j);
	return AISVC_RUN_DONE;
}

/* A stream's token: into the batch, which is sent when it is full, when the
 * token is the turn's last (last), the stream's first, or when the next token
 * is not expected before the batch is AISVC_BATCH_NS old. */
static send_t stream_token(aisvc_job_t *j, const uint8_t *b, size_t len, bool last)
{
	uint64_t now = nc_clock_ns(), pace = now - j->token_ns;
	j->token_ns = now;
	send_t r = SEND_OK;
	for (size_t at = 0; r == SEND_OK && at < len;) { /* a token longer than a message goes in pieces */
		if (!j->batch_len) {
			j->batch[0] = NC_SYS_AI_MSG_TOKEN;
			j->batch_len = 1;
			j->batch_since_ns = now;
		}
		size_t room = sizeof j->batch - j->batch_len, n = len - at < room ? len - at : room;
		nc_mem_copy(j->batch + j->batch_len, b + at, n);
		j->batch_len += n;
		at += n;
		if (j->batch_len == sizeof j->batch)
			r = flush(j);
	}
	bool wait = !last && j->n_tokens > 0 && now - j->batch_since_ns + pace < AISVC_BATCH_NS;
	return r == SEND_OK && !wait ? flush(j) : r;
}

/* Deliver one token's bytes: append (AiInvoke; false when they do not fit)
 * or stream them (last: the turn's last token). */
static send_t deliver(aisvc_job_t *j, const uint8_t *b, size_t len, bool last, bool *fits)
{
	*fits = true;
	if (is_stream(j))
		return stream_token(j, b, len, last);
	*fits = j->out_len + len <= j->out_max;
	if (*fits) {
		nc_mem_copy(j->out + j->out_len, b, len);
		j->out_len += len;
	}
	return SEND_OK;
}

static aisvc_run_t done(aisvc_job_t *j)
{
	aisvc_job_drop(j);
	return AISVC_RUN_DONE;
}

static aisvc_run_t gen_turn(aisvc_job_t *j, uint64_t port)
{
	if (j->pending_len) { /* the channel was full */
		send_t r = send(j, j->pending, j->pending_len);
		if (r == SEND_FULL)
			return nc_clock_ns() - j->parked_since_ns > AISVC_STALL_NS ? done(j) : AISVC_RUN_PARKED;
		j->pending_len = 0;
		if (r == SEND_GONE || j->ending)
			return done(j);
		if (j->gen.stopped) /* the last token was the one waiting */
			return gen_end(j, port, end_reason(j->stop_why));
	}
	for (int k = 0; k < AISVC_SLICE_TOKENS; k++) {
		if (j->p.deadline_ns && nc_clock_ns() >= j->p.deadline_ns)
			return gen_end(j, port, NC_SYS_AI_END_DEADLINE);
		int32_t id;
		const uint8_t *b;
		size_t len;
		bool stopped, fits;
		if (nc_ai_gen_next(&j->gen, &id, &b, &len, &stopped, &j->stop_why))
			return gen_end(j, port, NC_SYS_AI_END_LENGTH);
		send_t r = deliver(j, b, len, stopped || k == AISVC_SLICE_TOKENS - 1, &fits);
		if (!fits)
			return gen_end(j, port, NC_SYS_AI_END_LENGTH);
		j->n_tokens++;
		if (r == SEND_GONE)
			return done(j);
		if (r == SEND_FULL)
			return AISVC_RUN_PARKED;
		if (stopped)
			return gen_end(j, port, end_reason(j->stop_why));
	}
	return AISVC_RUN_AGAIN;
}

/* ---- one-turn jobs ---- */

static aisvc_run_t embed(aisvc_job_t *j, uint64_t port)
{
	nc_ai_model_t *m = aisvc_model_text(j->model);
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	if (j->arg0 < h.n_embd)
		return fail(j, port, NC_SYS_ERR_TOO_SMALL);
	int32_t *ids;
	size_t n;
	bool wait;
	nc_sys_err_t err = tokens_of(m, j->input, j->p.input_len, n_ctx_max(m), &ids, &n);
	if (err)
		return fail(j, port, err);
	err = n ? make_ctx(j, (uint32_t)n, &wait) : NC_SYS_ERR_INVALID;
	double *v = err || wait ? NULL : nc_malloc(h.n_embd * sizeof(double));
	if (!err && !wait && !v)
		err = NC_SYS_ERR_NO_MEMORY;
	if (!err && !wait)
		err = from_ai(nc_ai_embed(j->ctx, ids, n, v, h.n_embd));
	nc_free(ids);
	if (!err && wait)
		return AISVC_RUN_PARKED;
	if (!err)
		answer(port, j, NC_SYS_OK, h.n_embd, v, h.n_embd * sizeof(double));
	nc_free(v);
	return err ? fail(j, port, err) : done(j);
}

/* Labels: NUL-ended strings in lab[0..len) into out (at most NC_SYS_AI_LABELS_MAX). */
static size_t split_labels(const char *lab, size_t len, const char **out)
{
	size_t n = 0;
	for (size_t at = 0; at < len && n < NC_SYS_AI_LABELS_MAX; n++) {
		out[n] = lab + at;
		at += nc_str_len(lab + at) + 1;
	}
	return n;
}

static aisvc_run_t classify(aisvc_job_t *j, uint64_t port)
{
	nc_ai_model_t *m = aisvc_model_text(j->model);
	bool v1 = j->op == NC_SYS_AI_CLASSIFY;
	const char *labels[NC_SYS_AI_LABELS_MAX];
	size_t text_len = v1 ? nc_str_len_max(j->input, j->p.input_len) : j->p.input_len;
	size_t n = v1 ? split_labels(j->input + text_len + 1, j->p.input_len - text_len - 1, labels)
		      : split_labels(j->extra, j->p.extra_len, labels);
	if (!v1 && j->arg0 < n)
		return fail(j, port, NC_SYS_ERR_TOO_SMALL);
	int32_t *ids;
	size_t n_text;
	bool wait;
	nc_sys_err_t err = tokens_of(m, j->input, text_len, n_ctx_max(m), &ids, &n_text);
	nc_free(ids);
	if (err)
		return fail(j, port, err);
	uint64_t want = n_text + NC_AI_LABEL_MAX_TOKENS;
	err = make_ctx(j, want < n_ctx_max(m) ? (uint32_t)want : n_ctx_max(m), &wait);
	if (!err && wait)
		return AISVC_RUN_PARKED;
	double scores[NC_SYS_AI_LABELS_MAX];
	size_t best = 0;
	if (!err)
		err = from_ai(nc_ai_classify(j->ctx, j->input, text_len, labels, n, scores, &best));
	if (!err && v1 && j->arg0 < nc_str_len(labels[best]))
		err = NC_SYS_ERR_TOO_SMALL;
	if (err)
		return fail(j, port, err);
	if (v1)
		answer(port, j, NC_SYS_OK, nc_str_len(labels[best]), labels[best], nc_str_len(labels[best]));
	else
		answer(port, j, NC_SYS_OK, best, scores, n * sizeof(double));
	return done(j);
}

static aisvc_run_t transcribe(aisvc_job_t *j, uint64_t port)
{
	nc_ai_asr_t *m = aisvc_model_speech(j->model);
	nc_ai_asr_info_t h;
	nc_ai_asr_get_info(m, &h);
	nc_ai_wav_t w;
	if (nc_ai_wav_parse((const uint8_t *)j->input, j->p.input_len, &w) || w.channels != 1 || w.bits != 16 ||
	    w.sample_rate != h.sample_rate)
		return fail(j, port, NC_SYS_ERR_INVALID);
	size_t bytes = nc_ai_asr_scratch_bytes(m, w.n_frames);
	bool never;
	if (!aisvc_ctx_charge(bytes, &never))
		return never ? fail(j, port, NC_SYS_ERR_LIMIT) : AISVC_RUN_PARKED;
	j->ctx_bytes = bytes;
	char *text = nc_malloc(j->out_max + 1);
	size_t n = 0;
	nc_sys_err_t err = text ? from_ai(nc_ai_asr_transcribe(m, w.data, w.n_frames, &nc_ai_user_alloc, &aisvc_pool, aisvc_simd,
							       NC_AI_ASR_DECODE_DEFAULT, text, j->out_max, &n))
				: NC_SYS_ERR_NO_MEMORY;
	if (!err)
		answer(port, j, NC_SYS_OK, n, text, n);
	nc_free(text);
	return err ? fail(j, port, err) : done(j);
}

aisvc_run_t aisvc_job_run(aisvc_job_t *j, uint64_t port)
{
	if (j->cancelled)
		return done(j);
	if (!j->model)
		return aisvc_router_run(j, port);
	if (!j->started) {
		if (j->p.deadline_ns && nc_clock_ns() >= j->p.deadline_ns)
			return is_stream(j) ? gen_end(j, port, NC_SYS_AI_END_DEADLINE)
					    : fail(j, port, NC_SYS_ERR_TIMED_OUT);
		nc_sys_err_t err = aisvc_store_acquire(j->model);
		if (err)
			return fail(j, port, err);
		j->started = true;
	}
	switch (j->op) {
	case NC_SYS_AI_INVOKE:
	case NC_SYS_AI_INVOKE_PARAMS:
	case NC_SYS_AI_STREAM:
	case NC_SYS_AI_STREAM_PARAMS:
		if (!j->ctx) {
			bool wait = false;
			nc_sys_err_t err = gen_start(j, &wait);
			if (err)
				return fail(j, port, err);
			if (wait)
				return AISVC_RUN_PARKED;
		}
		return gen_turn(j, port);
	case NC_SYS_AI_EMBED:
		return embed(j, port);
	case NC_SYS_AI_CLASSIFY:
	case NC_SYS_AI_CLASSIFY_LABELS:
		return classify(j, port);
	default:
		return transcribe(j, port);
	}
}

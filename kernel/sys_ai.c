/* The Ai* system calls (docs/ai-service.md): the kernel checks each like a
 * built-in call -- ai.invoke whose scope covers the model id (and ai.cloud
 * when the caller consents to tier 3), every argument, every user buffer --
 * then forwards it to the AI service (SERVICE_AI, kernel/service.h) and copies
 * the answer back. Every call goes through ai_build_payload, the one place
 * where a request's bytes are gathered from the caller (the hook point for
 * policies on prompts), and ai_forward.
 *
 * Payload (docs/services.md): an nc_sys_ai_payload_t, then the model id, the
 * input and the extra bytes (stop strings or labels, each NUL-ended). */
#include <kernel/cap.h>
#include <kernel/heap.h>
#include <kernel/privacy.h>
#include <kernel/service.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>
#include <nc/privacy.h>

/* One Ai* call as its handler describes it. User addresses are raw. */
typedef struct {
	uint64_t op, errors;            /* NC_SYS_*, NC_SYS_ERRORS_* */
	nc_sys_ai_payload_t hdr;        /* lengths and parameters */
	uint64_t model, input, extra;   /* user addresses of hdr.*_len bytes */
	bool audio;                     /* the input is a WAV file (AI_AUDIO_MAX_BYTES) */
	uint64_t arg0;                  /* service_request.arg0 */
	uint64_t out;                   /* user destination of the reply data */
	size_t out_max;                 /* bytes the caller takes there */
	bool stream;                    /* AiStream: channel goes with the request */
	uint64_t channel;               /* the caller's channel handle */
} ai_call_t;

/* A model id: 1..AI_MODEL_ID_MAX bytes of printable ASCII without '/', not
 * starting with '.': a name scope and a file name. */
static bool model_id_valid(const char *id, size_t len)
{
	if (len == 0 || len > NC_SYS_AI_MODEL_ID_MAX || id[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (id[i] <= ' ' || id[i] >= 0x7f || id[i] == '/')
			return false;
	return true;
}

static bool sizes_valid(const ai_call_t *a)
{
	const nc_sys_ai_payload_t *h = &a->hdr;
	if (h->model_len > NC_SYS_AI_MODEL_ID_MAX || h->extra_len > NC_SYS_AI_INPUT_MAX_BYTES)
		return false;
	if (a->audio)
		return h->input_len <= NC_SYS_AI_AUDIO_MAX_BYTES;
	return h->input_len <= NC_SYS_AI_INPUT_MAX_BYTES &&
	       h->model_len + h->input_len + h->extra_len <= NC_SYS_AI_INPUT_MAX_BYTES;
}

/* Gather the request from the caller into a new heap block (*payload, *len;
 * heap_free it): the header, the model id, the input, the extra bytes. Checks
 * the sizes, the model id (unless op is AiModelList) and the capabilities on
 * it. Errors: INVALID, BAD_ADDRESS, DENIED, REVOKED, EXPIRED, NO_MEMORY. */
static nc_sys_err_t ai_build_payload(const ai_call_t *a, uint8_t **payload, size_t *len)
{
	const nc_sys_ai_payload_t *h = &a->hdr;
	if (!sizes_valid(a))
		return NC_SYS_ERR_INVALID;
	size_t n = sizeof *h + h->model_len + h->input_len + h->extra_len;
	uint8_t *p = heap_alloc(n);
	if (!p)
		return NC_SYS_ERR_NO_MEMORY;
	nc_mem_copy(p, h, sizeof *h);
	char *model = (char *)p + sizeof *h;
	nc_sys_err_t err = NC_SYS_OK;
	if (copy_from_user(model, a->model, h->model_len) ||
	    copy_from_user(model + h->model_len, a->input, h->input_len) ||
	    copy_from_user(model + h->model_len + h->input_len, a->extra, h->extra_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	else if (a->op == NC_SYS_AI_MODEL_LIST)
		err = NC_SYS_OK;
	else if (!model_id_valid(model, h->model_len))
		err = NC_SYS_ERR_INVALID;
	else
		err = cap_check("ai.invoke", model, h->model_len);
	if (!err && (h->flags & NC_SYS_AI_FLAG_CLOUD))
		err = cap_check("ai.cloud", model, h->model_len);
	if (err) {
		heap_free(p);
		return err;
	}
	*payload = p;
	*len = n;
	return NC_SYS_OK;
}

/* AiModelList: keep the entries of buf[0..len) whose id the caller's
 * ai.invoke covers (in order); returns the bytes kept. */
static size_t models_visible(uint8_t *buf, size_t len)
{
	nc_sys_ai_model_t m;
	size_t kept = 0;
	for (size_t off = 0; off + sizeof m <= len; off += sizeof m) {
		nc_mem_copy(&m, buf + off, sizeof m);
		size_t id_len = nc_str_len_max(m.id, sizeof m.id);
		if (id_len < sizeof m.id && cap_check("ai.invoke", m.id, id_len) == NC_SYS_OK) {
			nc_mem_copy(buf + kept, &m, sizeof m);
			kept += sizeof m;
		}
	}
	return kept;
}

/* Calls whose text goes to a model, and those whose reply is text. */
static bool ai_text_in(uint64_t op)
{
	return op != NC_SYS_AI_TRANSCRIBE && op != NC_SYS_AI_MODEL_LIST;
}

static bool ai_text_out(uint64_t op)
{
	return op == NC_SYS_AI_INVOKE || op == NC_SYS_AI_INVOKE_PARAMS || op == NC_SYS_AI_CLASSIFY;
}

/* Replace *payload (*len bytes) by one whose input and extra bytes s
 * tokenized. Errors: LIMIT (the tokenized request is longer than
 * AI_INPUT_MAX_BYTES, or the token table is full), NO_MEMORY, INVALID. */
static nc_sys_err_t ai_tokenize(kpsess_t *s, uint8_t **payload, size_t *len)
{
	nc_sys_ai_payload_t h;
	nc_mem_copy(&h, *payload, sizeof h);
	uint8_t *p = heap_alloc(sizeof h + NC_SYS_AI_INPUT_MAX_BYTES);
	if (!p)
		return NC_SYS_ERR_NO_MEMORY;
	const char *src = (const char *)*payload + sizeof h;
	char *dst = (char *)p + sizeof h;
	size_t room = NC_SYS_AI_INPUT_MAX_BYTES - h.model_len, in_len, extra_len = 0;
	nc_mem_copy(dst, src, h.model_len);
	nc_sys_err_t err = kpsess_out(s, src + h.model_len, h.input_len, dst + h.model_len, room, &in_len);
	if (!err)
		err = kpsess_out(s, src + h.model_len + h.input_len, h.extra_len, dst + h.model_len + in_len,
				 room - in_len, &extra_len);
	if (err) {
		heap_free(p);
		return err;
	}
	h.input_len = in_len;
	h.extra_len = extra_len;
	nc_mem_copy(p, &h, sizeof h);
	heap_free(*payload);
	*payload = p;
	*len = sizeof h + h.model_len + in_len + extra_len;
	return NC_SYS_OK;
}

/* The reply text out[0..*n) with s's tokens mapped back, into a new heap
 * block *mapped of *n bytes, cut to max bytes (at a character boundary).
 * Errors: NO_MEMORY, INVALID (the session was wiped). */
static nc_sys_err_t ai_detokenize(kpsess_t *s, const uint8_t *out, size_t *n, size_t max, uint8_t **mapped)
{
	size_t cap = *n * NC_PRIVACY_IN_GROWTH + 1, len, consumed;
	char *m = heap_alloc(cap);
	if (!m)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = kpsess_in(s, (const char *)out, *n, true, m, cap, &len, &consumed);
	if (err) {
		heap_free(m);
		return err;
	}
	if (len > max) {
		len = max;
		while (len && (m[len] & 0xc0) == 0x80)
			len--;
	}
	*mapped = (uint8_t *)m;
	*n = len;
	return NC_SYS_OK;
}

/* AiStream under s: the service gets a relay endpoint in place of the
 * caller's channel (pass[0], whose reference is dropped). */
static nc_sys_err_t ai_relay(kpsess_t *s, handle_ref_t *pass)
{
	kobj_t *svc_end;
	nc_sys_err_t err = kprivacy_relay_open(s, pass->obj, &svc_end);
	if (err)
		return err;
	uint32_t rights = pass->rights;
	handle_put(pass);
	*pass = (handle_ref_t){ .obj = svc_end, .rights = rights };
	return NC_SYS_OK;
}

/* Build, tokenize, forward, wait, copy the reply data (mapped back) to
 * a->out. *result gets the service's result, *out_len (may be NULL) the
 * bytes copied out. */
static nc_sys_err_t ai_forward(const ai_call_t *a, uint64_t *result, size_t *out_len)
{
	uint8_t *payload, *out = NULL, *mapped = NULL;
	size_t len;
	kpsess_t *priv = NULL;
	nc_sys_err_t err = ai_build_payload(a, &payload, &len);
	if (err)
		return err;
	if (ai_text_in(a->op)) {
		const char *model = (const char *)payload + sizeof a->hdr;
		err = kpsess_for_call(model, a->hdr.model_len, &priv);
		if (!err && priv)
			err = ai_tokenize(priv, &payload, &len);
	}
	svc_call_t c = { .op = a->op, .errors = a->errors, .args = { a->arg0 }, .in = payload, .in_len = len,
			 .out_max = a->out_max < SERVICE_PAYLOAD_MAX ? a->out_max : SERVICE_PAYLOAD_MAX,
			 .bulk = a->audio };
	if (!err && a->stream) {
		err = handle_get(handle_table_current(), a->channel, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_WRITE,
				 &c.pass[0]);
		c.n_pass = err ? 0 : 1;
		if (!err && priv)
			err = ai_relay(priv, &c.pass[0]);
	}
	if (!err && c.out_max && !(out = heap_alloc(c.out_max)))
		err = NC_SYS_ERR_NO_MEMORY;
	ksvc_t *s = err ? NULL : service_find(NC_SYS_SERVICE_AI, NULL, 0, NULL);
	if (!err && !s)
		err = NC_SYS_ERR_UNAVAILABLE;
	if (s) {
		c.out = out;
		err = service_call(s, &c, NULL);
		c.n_pass = 0; /* service_call took the channel's reference */
		service_put(s);
	}
	for (uint32_t i = 0; i < c.n_pass; i++)
		handle_put(&c.pass[i]);
	if (!err && a->op == NC_SYS_AI_MODEL_LIST)
		c.out_len = models_visible(out, c.out_len);
	if (!err && priv && ai_text_out(a->op)) {
		err = ai_detokenize(priv, out, &c.out_len, c.out_max, &mapped);
		c.result = c.out_len; /* the bytes the caller gets */
	}
	if (!err && c.out_len && copy_to_user(a->out, mapped ? mapped : out, c.out_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	kpsess_put(priv);
	heap_free(mapped);
	heap_free(out);
	heap_free(payload);
	if (!err) {
		*result = c.result;
		if (out_len)
			*out_len = c.out_len;
	}
	return err;
}

/* Bytes of n elements of size each, capped at what one reply carries. */
static size_t capped(uint64_t n, size_t each)
{
	return n < SERVICE_PAYLOAD_MAX / each ? (size_t)n * each : SERVICE_PAYLOAD_MAX / each * each;
}

/* A v1 call (model id, input, default sampling) whose reply data goes to out
 * (out_max bytes; arg0 for the service), or whose tokens go to channel. */
static nc_sys_err_t v1_forward(uint64_t op, uint64_t errors, uint64_t model, uint64_t model_len, uint64_t input,
			       uint64_t input_len, uint64_t out, size_t out_max, uint64_t arg0, uint64_t *result)
{
	bool stream = op == NC_SYS_AI_STREAM;
	ai_call_t a = { .op = op, .errors = errors, .model = model, .input = input,
			.hdr = { .flags = NC_SYS_AI_FLAG_DEFAULTS, .model_len = model_len, .input_len = input_len },
			.audio = op == NC_SYS_AI_TRANSCRIBE, .arg0 = arg0, .out = stream ? 0 : out,
			.out_max = stream ? 0 : out_max, .stream = stream, .channel = stream ? out : 0 };
	return ai_forward(&a, result, NULL);
}

/* An ai_request call: reply data to out (out_max bytes), or tokens to
 * channel (AiStreamParams). Errors of the request: BAD_ADDRESS, INVALID. */
static nc_sys_err_t request_forward(uint64_t op, uint64_t errors, uint64_t request, uint64_t out, size_t out_max,
				    uint64_t arg0, uint64_t *result)
{
	nc_sys_ai_request_t r;
	if (copy_from_user(&r, request, sizeof r))
		return NC_SYS_ERR_BAD_ADDRESS;
	if ((r.flags & ~(uint64_t)NC_SYS_AI_FLAG_CLOUD) || r.max_tokens > NC_SYS_AI_MAX_TOKENS ||
	    r.temperature_milli > 100000 || r.top_p_milli > 1000 || r.repeat_penalty_milli > 100000 ||
	    r.top_k > 1u << 20)
		return NC_SYS_ERR_INVALID;
	bool stream = op == NC_SYS_AI_STREAM_PARAMS;
	ai_call_t a = { .op = op, .errors = errors, .model = r.model, .input = r.input, .extra = r.stop,
			.hdr = { .flags = r.flags, .max_tokens = r.max_tokens, .temperature_milli = r.temperature_milli,
				 .top_k = r.top_k, .top_p_milli = r.top_p_milli,
				 .repeat_penalty_milli = r.repeat_penalty_milli, .seed = r.seed,
				 .deadline_ns = r.deadline_ns, .model_len = r.model_len, .input_len = r.input_len,
				 .extra_len = r.stop_len },
			.arg0 = arg0, .out = stream ? 0 : out, .out_max = stream ? 0 : out_max, .stream = stream,
			.channel = stream ? out : 0 };
	return ai_forward(&a, result, NULL);
}

nc_sys_err_t sys_ai_invoke(uint64_t model, uint64_t model_len, uint64_t input, uint64_t input_len, uint64_t output,
			   uint64_t output_len, uint64_t *n_bytes_out)
{
	return v1_forward(NC_SYS_AI_INVOKE, NC_SYS_ERRORS_AI_INVOKE, model, model_len, input, input_len, output,
			  capped(output_len, 1), 0, n_bytes_out);
}

nc_sys_err_t sys_ai_stream(uint64_t model, uint64_t model_len, uint64_t input, uint64_t input_len,
			   uint64_t channel, uint64_t *session_out)
{
	return v1_forward(NC_SYS_AI_STREAM, NC_SYS_ERRORS_AI_STREAM, model, model_len, input, input_len, channel, 0,
			  0, session_out);
}

nc_sys_err_t sys_ai_embed(uint64_t model, uint64_t model_len, uint64_t input, uint64_t input_len,
			  uint64_t embedding, uint64_t max_dims, uint64_t *n_dims_out)
{
	return v1_forward(NC_SYS_AI_EMBED, NC_SYS_ERRORS_AI_EMBED, model, model_len, input, input_len, embedding,
			  capped(max_dims, sizeof(double)), max_dims, n_dims_out);
}

nc_sys_err_t sys_ai_classify(uint64_t model, uint64_t model_len, uint64_t input, uint64_t input_len,
			     uint64_t label, uint64_t label_len, uint64_t *n_bytes_out)
{
	return v1_forward(NC_SYS_AI_CLASSIFY, NC_SYS_ERRORS_AI_CLASSIFY, model, model_len, input, input_len, label,
			  capped(label_len, 1), label_len, n_bytes_out);
}

nc_sys_err_t sys_ai_transcribe(uint64_t model, uint64_t model_len, uint64_t audio, uint64_t audio_len,
			       uint64_t text, uint64_t text_len, uint64_t *n_bytes_out)
{
	return v1_forward(NC_SYS_AI_TRANSCRIBE, NC_SYS_ERRORS_AI_TRANSCRIBE, model, model_len, audio, audio_len, text,
			  capped(text_len, 1), text_len, n_bytes_out);
}

nc_sys_err_t sys_ai_invoke_params(uint64_t request, uint64_t output, uint64_t output_len, uint64_t *n_bytes_out)
{
	return request_forward(NC_SYS_AI_INVOKE_PARAMS, NC_SYS_ERRORS_AI_INVOKE_PARAMS, request, output,
			       capped(output_len, 1), 0, n_bytes_out);
}

nc_sys_err_t sys_ai_stream_params(uint64_t request, uint64_t channel, uint64_t *session_out)
{
	return request_forward(NC_SYS_AI_STREAM_PARAMS, NC_SYS_ERRORS_AI_STREAM_PARAMS, request, channel, 0, 0,
			       session_out);
}

nc_sys_err_t sys_ai_classify_labels(uint64_t request, uint64_t scores, uint64_t max_labels, uint64_t *index_out)
{
	return request_forward(NC_SYS_AI_CLASSIFY_LABELS, NC_SYS_ERRORS_AI_CLASSIFY_LABELS, request, scores,
			       capped(max_labels, sizeof(double)), max_labels, index_out);
}

nc_sys_err_t sys_ai_model_list(uint64_t entries, uint64_t max_entries, uint64_t *n_models_out)
{
	ai_call_t a = { .op = NC_SYS_AI_MODEL_LIST, .errors = NC_SYS_ERRORS_AI_MODEL_LIST, .out = entries,
			.out_max = capped(max_entries, sizeof(nc_sys_ai_model_t)), .arg0 = max_entries };
	uint64_t ignored;
	size_t n;
	nc_sys_err_t err = ai_forward(&a, &ignored, &n);
	if (!err)
		*n_models_out = n / sizeof(nc_sys_ai_model_t);
	return err;
}

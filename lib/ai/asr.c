/* Loading an "ncasr" speech model (nc/ai_asr.h; keys and tensors in
 * docs/ai-service.md). Validate first -- every hyper-parameter, the
 * vocabulary, the lexicon (asr_lexicon.c), every tensor's presence, shape and
 * type (bind.c) -- then the
 * F16 matrices become F32 copies; the FFT tables are computed once here. */
#include "asr_int.h"

#include <nc/ai_math.h>
#include <nc/fmt.h>
#include <nc/mem.h>

#define ASR_DIM_MAX 65536u

static nc_ai_err_t get_dim(const nc_gguf_file_t *f, const char *key, uint32_t *out)
{
	uint64_t v;
	if (nc_gguf_get_u64(f, key, &v) || v == 0 || v > ASR_DIM_MAX)
		return NC_AI_ERR_HPARAM;
	*out = (uint32_t)v;
	return NC_AI_OK;
}

static nc_ai_err_t read_hparams(const nc_gguf_file_t *f, nc_ai_asr_info_t *h)
{
	nc_gguf_str_t arch;
	if (nc_gguf_get_str(f, "general.architecture", &arch) || !nc_gguf_str_eq(arch, "ncasr"))
		return NC_AI_ERR_ARCH;
	nc_ai_err_t e;
	if ((e = get_dim(f, "ncasr.sample_rate", &h->sample_rate)) ||
	    (e = get_dim(f, "ncasr.frontend.n_fft", &h->n_fft)) ||
	    (e = get_dim(f, "ncasr.frontend.window_length", &h->win)) ||
	    (e = get_dim(f, "ncasr.frontend.hop_length", &h->hop)) ||
	    (e = get_dim(f, "ncasr.frontend.n_mels", &h->n_mels)) ||
	    (e = get_dim(f, "ncasr.context_length", &h->n_ctx)) ||
	    (e = get_dim(f, "ncasr.embedding_length", &h->n_embd)) ||
	    (e = get_dim(f, "ncasr.block_count", &h->n_layer)) ||
	    (e = get_dim(f, "ncasr.feed_forward_length", &h->n_ff)) ||
	    (e = get_dim(f, "ncasr.attention.head_count", &h->n_head)) ||
	    (e = get_dim(f, "ncasr.conv_kernel", &h->kernel)))
		return e;
	if (nc_gguf_get_f32(f, "ncasr.attention.layer_norm_epsilon", &h->eps) ||
	    nc_gguf_get_f32(f, "ncasr.frontend.log_offset", &h->log_offset) || !(h->eps > 0 && h->eps < 1) ||
	    !(h->log_offset > 0 && h->log_offset < 1))
		return NC_AI_ERR_HPARAM;
	if (h->win > h->n_fft || h->n_fft > ASR_FFT_MAX || h->n_embd % h->n_head || h->n_embd % 2 ||
	    h->kernel % 2 == 0 || h->n_layer > 64 || h->n_ctx > ASR_CTX_MAX)
		return NC_AI_ERR_HPARAM;
	if (h->n_fft & (h->n_fft - 1))
		return NC_AI_ERR_UNSUPPORTED;
	return NC_AI_OK;
}

/* The vocabulary: entry 0 the CTC blank (""), then tokens of 1..ASR_TOKEN_MAX
 * printable ASCII bytes each (characters and word pieces). */
static nc_ai_err_t read_vocab(nc_ai_asr_t *m)
{
	const nc_gguf_kv_t *kv;
	if (nc_gguf_get_array(&m->gguf, "ncasr.vocabulary", NC_GGUF_TYPE_STRING, &kv) || kv->n_elems < 2 ||
	    kv->n_elems > ASR_VOCAB_MAX)
		return NC_AI_ERR_TOKENIZER;
	uint64_t n = kv->n_elems;
	const uint8_t *cur = kv->value;
	for (uint64_t i = 0; i < n; i++) {
		nc_gguf_str_t s = nc_gguf_next_str(&cur);
		if (i ? s.len_bytes == 0 || s.len_bytes > ASR_TOKEN_MAX : s.len_bytes != 0)
			return NC_AI_ERR_TOKENIZER;
		for (uint64_t k = 0; k < s.len_bytes; k++)
			if (s.ptr[k] < 0x20 || s.ptr[k] >= 0x7f)
				return NC_AI_ERR_TOKENIZER;
		m->tokens[i] = s;
	}
	m->info.n_vocab = (uint32_t)n;
	return NC_AI_OK;
}

static size_t list_bindings(nc_ai_asr_t *m, ai_binding_t *b)
{
	const nc_ai_asr_info_t *h = &m->info;
	size_t n = 0, d = h->n_embd, bins = h->n_fft / 2 + 1;
	ai_binding_add(b, &n, "frontend.window", h->win, 0, 0, NULL, &m->window);
	ai_binding_add(b, &n, "frontend.mel_filters", bins, h->n_mels, 0, &m->mel, NULL);
	ai_binding_add(b, &n, "frontend.mean", h->n_mels, 0, 0, NULL, &m->mean);
	ai_binding_add(b, &n, "frontend.istd", h->n_mels, 0, 0, NULL, &m->istd);
	ai_binding_add(b, &n, "conv1.weight", (uint64_t)h->n_mels * h->kernel, d, 0, &m->conv1, NULL);
	ai_binding_add(b, &n, "conv1.bias", d, 0, 0, NULL, &m->conv1_b);
	ai_binding_add(b, &n, "conv2.weight", d * h->kernel, d, 0, &m->conv2, NULL);
	ai_binding_add(b, &n, "conv2.bias", d, 0, 0, NULL, &m->conv2_b);
	ai_binding_add(b, &n, "output_norm.weight", d, 0, 0, NULL, &m->out_norm_w);
	ai_binding_add(b, &n, "output_norm.bias", d, 0, 0, NULL, &m->out_norm_b);
	ai_binding_add(b, &n, "output.weight", d, h->n_vocab, 0, &m->output, NULL);
	ai_binding_add(b, &n, "output.bias", h->n_vocab, 0, 0, NULL, &m->output_b);
	for (uint32_t l = 0; l < h->n_layer; l++) {
		asr_layer_t *L = &m->layers[l];
		char nm[64];
#define BIND(suffix, a, c, mat, vec) \
	(nc_fmt_format(nm, sizeof nm, "blk.%u." suffix, l), ai_binding_add(b, &n, nm, a, c, 0, mat, vec))
		BIND("attn_norm.weight", d, 0, NULL, &L->attn_norm_w);
		BIND("attn_norm.bias", d, 0, NULL, &L->attn_norm_b);
		BIND("attn_qkv.weight", d, 3 * d, &L->qkv, NULL);
		BIND("attn_qkv.bias", 3 * d, 0, NULL, &L->qkv_b);
		BIND("attn_output.weight", d, d, &L->wo, NULL);
		BIND("attn_output.bias", d, 0, NULL, &L->wo_b);
		BIND("ffn_norm.weight", d, 0, NULL, &L->ffn_norm_w);
		BIND("ffn_norm.bias", d, 0, NULL, &L->ffn_norm_b);
		BIND("ffn_up.weight", d, h->n_ff, &L->up, NULL);
		BIND("ffn_up.bias", h->n_ff, 0, NULL, &L->up_b);
		BIND("ffn_down.weight", h->n_ff, d, &L->down, NULL);
		BIND("ffn_down.bias", d, 0, NULL, &L->down_b);
#undef BIND
	}
	return n;
}

/* The front end and convolutions are computed in F32 only. */
static bool f32_only(const nc_ai_asr_t *m)
{
	return m->mel.type == NC_GGML_F32 && m->conv1.type == NC_GGML_F32 && m->conv2.type == NC_GGML_F32;
}

static nc_ai_err_t bind_all(nc_ai_asr_t *m)
{
	const nc_ai_alloc_t *a = &m->alloc;
	if (!(m->layers = ai_zalloc(a, (size_t)m->info.n_layer * sizeof *m->layers)))
		return NC_AI_ERR_NOMEM;
	size_t cap = ASR_BINDINGS_GLOBAL + (size_t)ASR_BINDINGS_PER_LAYER * m->info.n_layer;
	ai_binding_t *b = a->alloc(a->ctx, cap * sizeof *b, 16);
	const nc_gguf_tensor_t **t = a->alloc(a->ctx, cap * sizeof *t, 16);
	nc_ai_err_t e = NC_AI_OK;
	if (!b || !t || ai_copies_init(&m->copies, a, cap))
		e = NC_AI_ERR_NOMEM;
	if (!e)
		e = ai_bind_all(&m->gguf, b, list_bindings(m, b), t, true, &m->copies);
	if (!e && !f32_only(m))
		e = NC_AI_ERR_TENSOR_TYPE;
	for (uint64_t i = 0; !e && i < m->gguf.n_tensors; i++)
		m->info.n_params += m->gguf.tensors[i].n_elements;
	if (b)
		a->free(a->ctx, b, cap * sizeof *b);
	if (t)
		a->free(a->ctx, t, cap * sizeof *t);
	return e;
}

static void fft_tables(nc_ai_asr_t *m)
{
	uint32_t n = m->info.n_fft, bits = 0;
	while ((1u << bits) < n)
		bits++;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = 0;
		for (uint32_t k = 0; k < bits; k++)
			r |= ((i >> k) & 1u) << (bits - 1 - k);
		m->fft_rev[i] = (uint16_t)r;
	}
	for (uint32_t i = 0; i < n / 2; i++) {
		double ang = -2.0 * ASR_PI * i / n;
		m->fft_cos[i] = nc_ai_cos(ang);
		m->fft_sin[i] = nc_ai_sin(ang);
	}
}

nc_ai_err_t nc_ai_asr_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                           nc_ai_asr_t **out, nc_gguf_err_t *gguf_err)
{
	if (!ai_loader_args(image, alloc, (void **)out, gguf_err))
		return NC_AI_ERR_ARG;
	nc_ai_asr_t *m = ai_zalloc(alloc, sizeof *m);
	if (!m)
		return NC_AI_ERR_NOMEM;
	m->alloc = *alloc;
	nc_ai_err_t e = ai_open_gguf(image, image_bytes, alloc, &m->gguf, gguf_err);
	if (!e)
		e = read_hparams(&m->gguf, &m->info);
	if (!e)
		e = read_vocab(m);
	if (!e)
		e = asr_lexicon_read(m);
	if (!e)
		e = bind_all(m);
	if (!e) {
		m->info.n_lexicon = m->lex.n_words;
		m->info.beam_width = m->lex.n_words ? m->lex.beam_width : 0;
		m->info.prior_weight = m->lex.n_words ? m->lex.prior_weight : 0;
		fft_tables(m);
		*out = m;
		return NC_AI_OK;
	}
	nc_ai_asr_close(m);
	return e;
}

void nc_ai_asr_close(nc_ai_asr_t *m)
{
	if (!m)
		return;
	asr_lexicon_free(m);
	ai_loader_free(m->alloc, &m->copies, m->layers, (size_t)m->info.n_layer * sizeof *m->layers, &m->gguf, m,
		       sizeof *m);
}

void nc_ai_asr_get_info(const nc_ai_asr_t *m, nc_ai_asr_info_t *out)
{
	*out = m->info;
}

/* Model loading: a GGUF image with general.architecture = "llama" and the key
 * and tensor names of llama.cpp's converter (llama.* hyper-parameters,
 * token_embd, blk.N.attn_q/k/v/output, attn_norm, ffn_norm, ffn_gate/up/down
 * or the MoE ffn_gate_inp and ffn_gate/up/down_exps, output_norm, output).
 * Validate first: every hyper-parameter, tensor presence, shape and type is
 * checked (and a file with tensors or RoPE scaling we do not implement is
 * refused, never half-computed) before anything is converted. Weight
 * matrices are then used in place, whatever their type; only F16/BF16 norms
 * (and F32 tensors not 4-byte aligned in the image) get F32 copies. */
#include "ai_int.h"

#include <nc/fmt.h>
#include <nc/mem.h>

static const char *const err_names[] = {
	[NC_AI_OK] = "ok",
	[NC_AI_ERR_ARG] = "bad argument",
	[NC_AI_ERR_NOMEM] = "out of memory",
	[NC_AI_ERR_FORMAT] = "not a valid GGUF file",
	[NC_AI_ERR_ARCH] = "unsupported architecture",
	[NC_AI_ERR_HPARAM] = "bad hyper-parameter",
	[NC_AI_ERR_MISSING_TENSOR] = "missing tensor",
	[NC_AI_ERR_TENSOR_SHAPE] = "tensor shape mismatch",
	[NC_AI_ERR_TENSOR_TYPE] = "unsupported tensor type",
	[NC_AI_ERR_TOKENIZER] = "bad tokenizer",
	[NC_AI_ERR_TOKEN] = "token id out of range",
	[NC_AI_ERR_CONTEXT_FULL] = "context full",
	[NC_AI_ERR_CANCELLED] = "cancelled",
	[NC_AI_ERR_BUFFER] = "buffer too small",
	[NC_AI_ERR_UNSUPPORTED] = "unsupported",
	[NC_AI_ERR_PRETOKENIZER] = "unsupported pre-tokenizer",
	[NC_AI_ERR_AUDIO] = "not a PCM WAV file",
};

const char *nc_ai_err_name(nc_ai_err_t err)
{
	if ((unsigned)err < sizeof err_names / sizeof err_names[0] && err_names[err])
		return err_names[err];
	return "unknown error";
}

#define HPARAM_MAX 1048576u   /* bound on any single dimension we accept */

static nc_ai_err_t get_dim(const nc_gguf_file_t *f, const char *key, bool required, uint32_t *out)
{
	uint64_t v;
	nc_gguf_err_t e = nc_gguf_get_u64(f, key, &v);
	if (e == NC_GGUF_ERR_NOT_FOUND && !required)
		return NC_AI_OK;
	if (e || v == 0 || v > HPARAM_MAX)
		return NC_AI_ERR_HPARAM;
	*out = (uint32_t)v;
	return NC_AI_OK;
}

static nc_ai_err_t read_hparams(const nc_gguf_file_t *f, nc_ai_model_info_t *h)
{
	nc_gguf_str_t arch;
	nc_ai_err_t e;
	if (nc_gguf_get_str(f, "general.architecture", &arch) || !nc_gguf_str_eq(arch, "llama"))
		return NC_AI_ERR_ARCH;
	if ((e = get_dim(f, "llama.embedding_length", true, &h->n_embd)) ||
	    (e = get_dim(f, "llama.block_count", true, &h->n_layer)) ||
	    (e = get_dim(f, "llama.feed_forward_length", true, &h->n_ff)) ||
	    (e = get_dim(f, "llama.attention.head_count", true, &h->n_head)) ||
	    (e = get_dim(f, "llama.context_length", true, &h->n_ctx_train)))
		return e;
	h->n_head_kv = h->n_head;
	if ((e = get_dim(f, "llama.attention.head_count_kv", false, &h->n_head_kv)) ||
	    (e = get_dim(f, "llama.expert_feed_forward_length", false, &h->n_ff)))
		return e;
	if (h->n_embd % h->n_head || h->n_head % h->n_head_kv || h->n_layer > 4096)
		return NC_AI_ERR_HPARAM;
	h->head_dim = h->n_embd / h->n_head;
	uint32_t kl = h->head_dim, rope_dim = h->head_dim;
	if ((e = get_dim(f, "llama.attention.key_length", false, &kl)) ||
	    (e = get_dim(f, "llama.rope.dimension_count", false, &rope_dim)))
		return e;
	if (kl != h->head_dim || rope_dim != h->head_dim || h->head_dim % 2)
		return NC_AI_ERR_UNSUPPORTED;
	h->rms_eps = 1e-5f;
	h->rope_base = 10000.0f;
	nc_gguf_err_t ge = nc_gguf_get_f32(f, "llama.attention.layer_norm_rms_epsilon", &h->rms_eps);
	if ((ge && ge != NC_GGUF_ERR_NOT_FOUND) || !(h->rms_eps > 0 && h->rms_eps < 1))
		return NC_AI_ERR_HPARAM;
	ge = nc_gguf_get_f32(f, "llama.rope.freq_base", &h->rope_base);
	if ((ge && ge != NC_GGUF_ERR_NOT_FOUND) || !(h->rope_base > 1 && h->rope_base < 1e12f))
		return NC_AI_ERR_HPARAM;
	if ((e = get_dim(f, "llama.expert_count", false, &h->n_expert)) ||
	    (e = get_dim(f, "llama.expert_used_count", false, &h->n_expert_used)))
		return e;
	nc_gguf_str_t scaling;
	if (!nc_gguf_get_str(f, "llama.rope.scaling.type", &scaling) && !nc_gguf_str_eq(scaling, "none"))
		return NC_AI_ERR_UNSUPPORTED;  /* linear / YaRN context extension */
	if ((h->n_expert != 0) != (h->n_expert_used != 0) || h->n_expert > AI_MAX_EXPERTS ||
	    h->n_expert_used > h->n_expert || (h->n_expert && h->n_expert_used > AI_BATCH_MAX))
		return NC_AI_ERR_HPARAM;
	return NC_AI_OK;
}

static size_t list_bindings(nc_ai_model_t *m, ai_binding_t *b)
{
	const nc_ai_model_info_t *h = &m->info;
	size_t n = 0;
	uint64_t q = (uint64_t)h->n_head * h->head_dim, kv = (uint64_t)h->n_head_kv * h->head_dim;
	ai_binding_add(b, &n, "token_embd.weight", h->n_embd, h->n_vocab, 0, &m->tok_embd, NULL);
	ai_binding_add(b, &n, "output_norm.weight", h->n_embd, 0, 0, NULL, &m->output_norm);
	ai_binding_add(b, &n, "output.weight", h->n_embd, h->n_vocab, 0, &m->output, NULL);
	b[n - 1].optional = true;
	for (uint32_t l = 0; l < h->n_layer; l++) {
		ai_layer_t *L = &m->layers[l];
		char nm[64];
#define BIND(suffix, a, c, d, mat, vec) \
	(nc_fmt_format(nm, sizeof nm, "blk.%u." suffix, l), ai_binding_add(b, &n, nm, a, c, d, mat, vec))
		BIND("attn_norm.weight", h->n_embd, 0, 0, NULL, &L->attn_norm);
		BIND("attn_q.weight", h->n_embd, q, 0, &L->wq, NULL);
		BIND("attn_k.weight", h->n_embd, kv, 0, &L->wk, NULL);
		BIND("attn_v.weight", h->n_embd, kv, 0, &L->wv, NULL);
		BIND("attn_output.weight", q, h->n_embd, 0, &L->wo, NULL);
		BIND("ffn_norm.weight", h->n_embd, 0, 0, NULL, &L->ffn_norm);
		if (h->n_expert) {
			BIND("ffn_gate_inp.weight", h->n_embd, h->n_expert, 0, &L->gate_inp, NULL);
			BIND("ffn_gate_exps.weight", h->n_embd, h->n_ff, h->n_expert, &L->gate_exps, NULL);
			BIND("ffn_up_exps.weight", h->n_embd, h->n_ff, h->n_expert, &L->up_exps, NULL);
			BIND("ffn_down_exps.weight", h->n_ff, h->n_embd, h->n_expert, &L->down_exps, NULL);
		} else {
			BIND("ffn_gate.weight", h->n_embd, h->n_ff, 0, &L->gate, NULL);
			BIND("ffn_up.weight", h->n_embd, h->n_ff, 0, &L->up, NULL);
			BIND("ffn_down.weight", h->n_ff, h->n_embd, 0, &L->down, NULL);
		}
#undef BIND
	}
	return n;
}

#define BINDINGS_PER_LAYER 10u
#define BINDINGS_GLOBAL 3u

static uint64_t mat_bytes(const ai_mat_t *w)
{
	return (uint64_t)w->row_bytes * w->n_out;
}

static void count_weights(nc_ai_model_t *m)
{
	nc_ai_model_info_t *h = &m->info;
	uint64_t bytes = (uint64_t)m->output.row_bytes * h->n_vocab + (uint64_t)m->tok_embd.row_bytes;
	for (uint32_t l = 0; l < h->n_layer; l++) {
		const ai_layer_t *L = &m->layers[l];
		bytes += mat_bytes(&L->wq) + mat_bytes(&L->wk) + mat_bytes(&L->wv) + mat_bytes(&L->wo);
		if (h->n_expert)
			bytes += mat_bytes(&L->gate_inp) + (mat_bytes(&L->gate_exps) + mat_bytes(&L->up_exps) +
			         mat_bytes(&L->down_exps)) / h->n_expert * h->n_expert_used;
		else
			bytes += mat_bytes(&L->gate) + mat_bytes(&L->up) + mat_bytes(&L->down);
	}
	h->weight_bytes = bytes;
	for (uint64_t i = 0; i < m->gguf.n_tensors; i++)
		h->n_params += m->gguf.tensors[i].n_elements;
}

static nc_ai_err_t bind_all(nc_ai_model_t *m)
{
	const nc_ai_alloc_t *a = &m->alloc;
	size_t cap = BINDINGS_GLOBAL + (size_t)BINDINGS_PER_LAYER * m->info.n_layer;
	ai_binding_t *b = a->alloc(a->ctx, cap * sizeof *b, 16);
	const nc_gguf_tensor_t **t = a->alloc(a->ctx, cap * sizeof *t, 16);
	nc_ai_err_t e = NC_AI_OK;
	if (!b || !t || ai_copies_init(&m->copies, a, cap)) {
		e = NC_AI_ERR_NOMEM;
		goto out;
	}
	size_t n = list_bindings(m, b);
	e = ai_bind_all(&m->gguf, b, n, t, false, &m->copies);
	if (!e && !t[2])
		m->output = m->tok_embd;  /* no output.weight: tied embeddings */
	if (!e)
		count_weights(m);
out:
	if (b)
		a->free(a->ctx, b, cap * sizeof *b);
	if (t)
		a->free(a->ctx, t, cap * sizeof *t);
	return e;
}

static nc_ai_err_t open_model(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                              nc_ai_model_t **out, nc_gguf_err_t *gguf_err, bool vocab_only)
{
	if (!ai_loader_args(image, alloc, (void **)out, gguf_err))
		return NC_AI_ERR_ARG;
	nc_ai_model_t *m = ai_zalloc(alloc, sizeof *m);
	if (!m)
		return NC_AI_ERR_NOMEM;
	m->alloc = *alloc;
	nc_ai_err_t e = ai_open_gguf(image, image_bytes, alloc, &m->gguf, gguf_err);
	if (!e && !vocab_only)
		e = read_hparams(&m->gguf, &m->info);
	if (!e)
		e = ai_tokenizer_load(&m->tok, &m->gguf, alloc);
	if (!e) {
		m->info.n_vocab = m->tok.n_vocab;
		m->info.bos_id = m->tok.bos_id;
		m->info.eos_id = m->tok.eos_id;
		m->info.add_bos = m->tok.add_bos;
	}
	if (!e && !vocab_only) {
		if (!(m->layers = ai_zalloc(alloc, (size_t)m->info.n_layer * sizeof *m->layers)))
			e = NC_AI_ERR_NOMEM;
		if (!e)
			e = bind_all(m);
	}
	if (e) {
		nc_ai_model_close(m);
		return e;
	}
	*out = m;
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_model_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                             nc_ai_model_t **out, nc_gguf_err_t *gguf_err)
{
	return open_model(image, image_bytes, alloc, out, gguf_err, false);
}

nc_ai_err_t nc_ai_model_open_vocab(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                                   nc_ai_model_t **out, nc_gguf_err_t *gguf_err)
{
	return open_model(image, image_bytes, alloc, out, gguf_err, true);
}

bool nc_ai_model_is_vocab_only(const nc_ai_model_t *m)
{
	return m->layers == NULL;
}

void nc_ai_model_close(nc_ai_model_t *m)
{
	if (!m)
		return;
	ai_tokenizer_free(&m->tok, &m->alloc);
	ai_loader_free(m->alloc, &m->copies, m->layers, (size_t)m->info.n_layer * sizeof *m->layers, &m->gguf, m,
		       sizeof *m);
}

void nc_ai_model_get_info(const nc_ai_model_t *m, nc_ai_model_info_t *out)
{
	*out = m->info;
}

const nc_gguf_file_t *nc_ai_model_gguf(const nc_ai_model_t *m)
{
	return &m->gguf;
}

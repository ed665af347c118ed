/* The AI inference engine: llama-architecture GGUF models (dense and
 * Mixture-of-Experts), byte-level BPE tokenizer, generation with sampling,
 * embeddings and classification. Freestanding: memory and threads come from
 * the caller (nc/ai_env.h); the model file is a memory image the caller keeps
 * mapped while the model is open.
 *
 * Objects and lifetimes:
 *   nc_ai_model_t  an opened model: read-only after nc_ai_model_open, may be
 *                  shared by any number of contexts and threads.
 *   nc_ai_ctx_t    one inference stream (KV cache, scratch buffers, sampler
 *                  state). Not thread-safe: one thread at a time calls it; the
 *                  engine spreads its work over the injected pool itself.
 * Design and numbers: docs/ai-engine.md. */
#ifndef NC_AI_H
#define NC_AI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nc/ai_env.h>
#include <nc/gguf.h>

typedef enum {
	NC_AI_OK = 0,
	NC_AI_ERR_ARG,            /* a NULL pointer, zero size or out-of-range parameter */
	NC_AI_ERR_NOMEM,          /* the allocator returned NULL */
	NC_AI_ERR_FORMAT,         /* the GGUF image did not parse (see the gguf error out-param) */
	NC_AI_ERR_ARCH,           /* general.architecture is not "llama" */
	NC_AI_ERR_HPARAM,         /* a llama.* hyper-parameter is missing, of the wrong type,
	                           * zero, or inconsistent with another */
	NC_AI_ERR_MISSING_TENSOR, /* a tensor the architecture needs is absent */
	NC_AI_ERR_TENSOR_SHAPE,   /* a tensor's dimensions disagree with the hyper-parameters */
	NC_AI_ERR_TENSOR_TYPE,    /* a tensor type the engine does not compute with */
	NC_AI_ERR_TOKENIZER,      /* tokenizer.ggml.* keys missing, inconsistent or unsupported */
	NC_AI_ERR_TOKEN,          /* a token id outside the vocabulary */
	NC_AI_ERR_CONTEXT_FULL,   /* the tokens do not fit in the context */
	NC_AI_ERR_CANCELLED,      /* generation stopped by the cancel flag or the callback */
	NC_AI_ERR_BUFFER,         /* an output buffer is too small */
	NC_AI_ERR_UNSUPPORTED,    /* a feature of the file or request this engine lacks
	                           * (partial RoPE, RoPE scaling, tensors beyond the llama
	                           * set such as rope_freqs or biases, a forced SIMD level
	                           * the CPU lacks) */
	NC_AI_ERR_PRETOKENIZER,   /* tokenizer.ggml.pre missing, or a llama.cpp pre-tokenizer
	                           * name whose pattern this engine lacks (see docs/ai-engine.md) */
	NC_AI_ERR_AUDIO           /* audio that is not a PCM WAV file (nc/ai_asr.h) */
} nc_ai_err_t;

/* Text for an error code (static storage). */
const char *nc_ai_err_name(nc_ai_err_t err);

/* ---- Model ---------------------------------------------------------------- */

typedef struct nc_ai_model nc_ai_model_t;

typedef struct {
	uint32_t n_vocab;
	uint32_t n_embd;          /* model width */
	uint32_t n_layer;
	uint32_t n_head;
	uint32_t n_head_kv;       /* < n_head: grouped-query attention */
	uint32_t head_dim;
	uint32_t n_ff;            /* feed-forward width (per expert for MoE) */
	uint32_t n_ctx_train;     /* llama.context_length */
	uint32_t n_expert;        /* 0 for a dense model */
	uint32_t n_expert_used;
	float rms_eps;
	float rope_base;
	uint64_t n_params;        /* elements of all tensors */
	uint64_t weight_bytes;    /* bytes one token's forward pass reads from the weights
	                           * (MoE: attention plus n_expert_used experts), as stored */
	int32_t bos_id;           /* -1 when absent */
	int32_t eos_id;           /* -1 when absent */
	bool add_bos;
} nc_ai_model_info_t;

/* Open a GGUF llama model from image[0..image_bytes), which must stay valid
 * and unchanged until nc_ai_model_close. Weight matrices of type F32, F16,
 * BF16, Q8_0, Q4_0 and the K-quants (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K) are used
 * in place (quantized types only for weight matrices, not norms); other types
 * give TENSOR_TYPE; F16 and BF16 norms are converted to F32 copies from *alloc.
 * On error nothing stays allocated and *out is NULL; for NC_AI_ERR_FORMAT
 * *gguf_err (if not NULL) tells why. Errors: ARG, NOMEM, FORMAT, ARCH,
 * HPARAM, MISSING_TENSOR, TENSOR_SHAPE, TENSOR_TYPE, TOKENIZER, PRETOKENIZER,
 * UNSUPPORTED. */
nc_ai_err_t nc_ai_model_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                             nc_ai_model_t **out, nc_gguf_err_t *gguf_err);
/* Open only the tokenizer of a GGUF image (tokenizer.ggml.* keys; no
 * hyper-parameters or tensors needed), like llama.cpp's vocab-only mode: the
 * tokenizer functions work, nc_ai_ctx_create refuses it (UNSUPPORTED), the
 * info has only the vocabulary fields set. Errors: ARG, NOMEM, FORMAT,
 * TOKENIZER, PRETOKENIZER. */
nc_ai_err_t nc_ai_model_open_vocab(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                                   nc_ai_model_t **out, nc_gguf_err_t *gguf_err);
bool nc_ai_model_is_vocab_only(const nc_ai_model_t *m);
/* Free everything nc_ai_model_open allocated. No context may still use it. */
void nc_ai_model_close(nc_ai_model_t *m);
void nc_ai_model_get_info(const nc_ai_model_t *m, nc_ai_model_info_t *out);
/* The parsed GGUF (metadata and tensor list), valid while m is open. */
const nc_gguf_file_t *nc_ai_model_gguf(const nc_ai_model_t *m);

/* ---- Tokenizer ------------------------------------------------------------ */

#define NC_AI_TOK_ADD_BOS   1u  /* prepend BOS (when the model has one) */
#define NC_AI_TOK_SPECIAL   2u  /* recognise special-token texts (e.g. "<|eos|>") in the input */

/* Tokenize text[0..len_bytes) (UTF-8; invalid bytes are kept as byte tokens;
 * a byte for which the vocabulary has no token at all is dropped)
 * into ids[0..cap). *n_out gets the number of tokens; when it exceeds cap the
 * result is NC_AI_ERR_BUFFER and ids holds the first cap tokens. Reentrant. */
nc_ai_err_t nc_ai_tokenize(const nc_ai_model_t *m, const char *text, size_t len_bytes, unsigned flags,
                           int32_t *ids, size_t cap, size_t *n_out);
/* The bytes a token decodes to (*bytes borrows from the model). Control
 * tokens (BOS, EOS, ...) decode to nothing unless with_special is set, then to
 * their text. Errors: TOKEN. */
nc_ai_err_t nc_ai_token_bytes(const nc_ai_model_t *m, int32_t id, bool with_special,
                              const uint8_t **bytes, size_t *len_bytes);
/* Decode ids into buf[0..cap) (no terminator): the concatenation of the tokens'
 * bytes, so decode(tokenize(t)) == t byte for byte. *len_out gets the full
 * length; NC_AI_ERR_BUFFER when it exceeds cap. Errors: TOKEN, BUFFER. */
nc_ai_err_t nc_ai_detokenize(const nc_ai_model_t *m, const int32_t *ids, size_t n, bool with_special,
                             char *buf, size_t cap, size_t *len_out);

/* ---- Context and evaluation ------------------------------------------------- */

typedef struct nc_ai_ctx nc_ai_ctx_t;

typedef enum {
	NC_AI_SIMD_AUTO = 0,   /* the best the CPU has: AVX-512, else AVX2+FMA, else portable */
	NC_AI_SIMD_PORTABLE,   /* plain C kernels */
	NC_AI_SIMD_AVX2,       /* AVX2+FMA kernels; UNSUPPORTED when the CPU lacks them */
	NC_AI_SIMD_AVX512      /* AVX-512 (F, BW, VL) prompt tiles with the AVX2 kernels for the rest;
	                        * UNSUPPORTED when the CPU lacks them */
} nc_ai_simd_t;

typedef struct {
	uint32_t n_ctx;        /* positions in the KV cache; 0: the model's n_ctx_train */
	nc_ai_simd_t simd;
	const nc_ai_pool_t *pool;  /* borrowed, may be NULL (single-threaded) */
} nc_ai_ctx_params_t;

/* Create a context for m with memory from *alloc (KV cache: 2 * n_layer *
 * n_ctx * n_head_kv * head_dim floats, plus scratch). Errors: ARG, NOMEM,
 * UNSUPPORTED (simd, or a vocabulary-only model). */
nc_ai_err_t nc_ai_ctx_create(const nc_ai_model_t *m, const nc_ai_ctx_params_t *p,
                             const nc_ai_alloc_t *alloc, nc_ai_ctx_t **out);
void nc_ai_ctx_destroy(nc_ai_ctx_t *c);
/* The bytes nc_ai_ctx_create allocates for m with n_ctx positions (0: the
 * model's n_ctx_train), so a caller can budget memory first. */
size_t nc_ai_ctx_bytes(const nc_ai_model_t *m, uint32_t n_ctx);
/* Forget all positions (empty the KV cache). */
void nc_ai_ctx_reset(nc_ai_ctx_t *c);
/* Positions used so far, and the capacity. */
uint32_t nc_ai_ctx_used(const nc_ai_ctx_t *c);
uint32_t nc_ai_ctx_size(const nc_ai_ctx_t *c);
/* "avx512", "avx2" or "portable": the kernels this context runs. */
const char *nc_ai_ctx_simd_name(const nc_ai_ctx_t *c);

/* Append ids[0..n) at the next positions and run the model over them. Then
 * nc_ai_ctx_logits gives the logits after the last token; when all_logits is
 * not NULL it receives n * n_vocab floats (row i: after ids[i]). Validates
 * everything first: on error the context is unchanged. Errors: ARG, TOKEN,
 * CONTEXT_FULL. */
nc_ai_err_t nc_ai_eval(nc_ai_ctx_t *c, const int32_t *ids, size_t n, float *all_logits);
/* n_vocab logits after the last evaluated token; valid until the next eval or
 * generate (which applies its repetition penalty to them in place). */
const float *nc_ai_ctx_logits(const nc_ai_ctx_t *c);

/* ---- Generation ----------------------------------------------------------- */

#define NC_AI_STOP_MAX_BYTES 64u

/* Called with each generated token and its bytes as soon as it is chosen.
 * Return false to stop (the result is then NC_AI_ERR_CANCELLED). */
typedef bool (*nc_ai_token_cb)(void *ctx, int32_t id, const uint8_t *bytes, size_t len_bytes);

typedef struct {
	uint32_t max_tokens;       /* stop after this many new tokens */
	float temperature;         /* <= 0: greedy (argmax, lowest id on ties) */
	uint32_t top_k;            /* 0: off */
	float top_p;               /* >= 1 or <= 0: off */
	float repeat_penalty;      /* 1 or 0: off; llama.cpp rule: logit > 0 ? l / p : l * p */
	uint32_t repeat_last_n;    /* tokens looked back for the penalty (0: all in context) */
	uint64_t seed;             /* sampler seed (xoshiro256**); same seed, same output */
	const int32_t *stop_tokens;     /* generation ends after one of these (it is kept) */
	size_t n_stop_tokens;
	const char *const *stop_strings; /* NUL-terminated, 1 to NC_AI_STOP_MAX_BYTES - 1 bytes;
	                                  * generation ends when the output contains one */
	size_t n_stop_strings;
	bool stop_at_eos;          /* treat the model's EOS as a stop token */
	nc_ai_token_cb on_token;   /* may be NULL */
	void *cb_ctx;
	const volatile int *cancel;     /* may be NULL; nonzero stops before the next token */
} nc_ai_gen_params_t;

/* The one place of the sampling defaults (nc-ai, the AI service and the `ai`
 * command all start from it), llama.cpp's conventions: max_tokens 64,
 * temperature 0.8, top_k 40, top_p 0.95, repeat_penalty 1.0 (off) over the last
 * 64 tokens, seed 0, stop_at_eos. */
void nc_ai_gen_params_default(nc_ai_gen_params_t *p);

typedef enum {
	NC_AI_STOP_LENGTH = 0,  /* max_tokens reached */
	NC_AI_STOP_TOKEN,       /* a stop token (or EOS) was generated */
	NC_AI_STOP_STRING,      /* a stop string appeared */
	NC_AI_STOP_CONTEXT      /* the context is full */
} nc_ai_stop_t;

/* Token-at-a-time generation (what nc_ai_generate loops over): a caller that
 * must interleave generations (a service scheduling many sessions) or act
 * between tokens keeps one nc_ai_gen_t per generation. Caller-owned; its
 * fields are private. The context and params (and what they point to) must
 * stay valid and unchanged until the generation ends. */
typedef struct {
	nc_ai_ctx_t *c;
	const nc_ai_gen_params_t *p;
	uint64_t rng[4];
	uint8_t tail[NC_AI_STOP_MAX_BYTES];
	size_t tail_n;
	size_t n;                  /* tokens produced */
	int32_t last;              /* the last token, evaluated at the next step */
	bool stopped;
} nc_ai_gen_t;

/* Evaluate prompt[0..n_prompt) (after whatever the context holds) and make g
 * ready to produce tokens. Errors (nothing runs): ARG (as nc_ai_generate),
 * TOKEN, CONTEXT_FULL. */
nc_ai_err_t nc_ai_gen_begin(nc_ai_gen_t *g, nc_ai_ctx_t *c, const nc_ai_gen_params_t *p,
                            const int32_t *prompt, size_t n_prompt);
/* Produce the next token: *id and its bytes (*bytes borrows from the model).
 * *stopped is true when this token ends the generation, *why saying why (the
 * token is still part of the output); the next call then gives ARG.
 * p->cancel, p->on_token and max_tokens 0 are nc_ai_generate's business, not
 * this function's. Errors: ARG (g stopped, or max_tokens reached). */
nc_ai_err_t nc_ai_gen_next(nc_ai_gen_t *g, int32_t *id, const uint8_t **bytes, size_t *len_bytes,
                           bool *stopped, nc_ai_stop_t *why);

/* Evaluate prompt[0..n_prompt) (after whatever the context holds) and generate
 * up to p->max_tokens tokens into out[0..cap). *n_out: tokens generated;
 * *why: the stop reason. Reaching the end of the context stops generation with
 * NC_AI_STOP_CONTEXT (NC_AI_OK); a prompt that does not fit is
 * NC_AI_ERR_CONTEXT_FULL before anything runs. Errors: ARG, TOKEN,
 * CONTEXT_FULL, CANCELLED (*n_out still counts the tokens made), BUFFER
 * (cap < max_tokens). ARG also covers: no prompt on an empty context, a stop
 * string that is empty or NC_AI_STOP_MAX_BYTES long or longer. */
nc_ai_err_t nc_ai_generate(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, const int32_t *prompt,
                           size_t n_prompt, int32_t *out, size_t cap, size_t *n_out,
                           nc_ai_stop_t *why);

/* ---- Embeddings and classification ---------------------------------------- */

/* Embedding of ids[0..n): the final (output-normed) hidden states averaged
 * over the n positions, then L2-normalised, as n_embd doubles in out. Resets
 * the context first. Errors: ARG, TOKEN, CONTEXT_FULL, BUFFER (cap < n_embd). */
nc_ai_err_t nc_ai_embed(nc_ai_ctx_t *c, const int32_t *ids, size_t n, double *out, size_t cap);

/* Pick the label the model finds most likely after text: for each label,
 * score = sum over the label's tokens of log p(token | text, previous label
 * tokens) (natural log). scores[i] gets label i's score, *best the index of
 * the highest (the first on ties). Labels are tokenized as they are given
 * (start them with a space for GPT-style vocabularies). Resets the context.
 * Works in the context's own buffers (no allocation). Errors: ARG, TOKEN,
 * CONTEXT_FULL (text plus label does not fit), BUFFER (a label of more than
 * NC_AI_LABEL_MAX_TOKENS tokens). */
#define NC_AI_LABEL_MAX_TOKENS 64u
nc_ai_err_t nc_ai_classify(nc_ai_ctx_t *c, const char *text, size_t text_bytes,
                           const char *const *labels, size_t n_labels, double *scores,
                           size_t *best);

#endif

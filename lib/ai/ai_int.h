/* Internal declarations shared by the files of lib/ai (not a public header).
 * Shapes are given as [rows][cols], row-major; a weight matrix W of GGUF dims
 * ne = [n_in, n_out] is n_out rows of n_in elements, and y = W x. */
#ifndef NC_AI_INT_H
#define NC_AI_INT_H

#include <nc/ai.h>

#define AI_BATCH_MAX 64u        /* tokens per forward step (prompt chunks) */
#define AI_QK 32u               /* elements per Q8_0 / Q4_0 block */
#define AI_Q8_0_BYTES 34u       /* f16 scale + 32 int8 */
#define AI_Q4_0_BYTES 18u       /* f16 scale + 16 bytes of nibbles */
#define AI_QK_K 256u            /* elements per K-quant super-block */
#define AI_Q2_K_BYTES 84u       /* 16 bytes of scale/min nibbles, 64 of 2-bit quants, f16 d, f16 dmin */
#define AI_Q3_K_BYTES 110u      /* 32 bytes of high bits, 64 of 2-bit quants, 12 of scales, f16 d */
#define AI_Q4_K_BYTES 144u      /* f16 d, f16 dmin, 12 bytes of scales, 128 of nibbles */
#define AI_Q5_K_BYTES 176u      /* as Q4_K plus 32 bytes of fifth bits */
#define AI_Q6_K_BYTES 210u      /* 128 low nibbles, 64 of high bits, 16 int8 scales, f16 d */
#define AI_DOT_MAX_VEC 4u       /* vectors one dot kernel call handles */
#define AI_MAX_EXPERTS 256u
#define AI_TASKS_PER_THREAD 4u
#define AI_PARALLEL_MIN_MACS (1u << 18)  /* smaller matrix products run on the caller's thread */

/* A weight matrix in the image or in converted memory. type is F32, F16,
 * BF16, Q8_0, Q4_0 or a K-quant (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K). */
typedef struct {
	const uint8_t *data;
	nc_ggml_type_t type;
	uint32_t n_in;
	uint32_t n_out;
	size_t row_bytes;
} ai_mat_t;

/* out[v] = dot(row, x + v * x_stride) over n elements, for v in [0, n_vec),
 * n_vec in [1, AI_DOT_MAX_VEC], for a row of type F32, F16, BF16 (each
 * weight converted to float exactly), Q8_0 or Q4_0. n is a multiple of the
 * block size AI_QK for the quantized rows. */
typedef void (*ai_dot_fn)(nc_ggml_type_t type, const uint8_t *row, const float *x, size_t x_stride, size_t n_vec,
                          size_t n, float *out);

/* Activations quantized for the K-quant kernels (ggml's Q8_K idea, our own
 * layout): per AI_QK_K elements x ~= d * q, with d = max|x| / 127 and q the
 * nearest integer to x * (127 / max|x|), ties to even, in [-127, 127]; bsums[i]
 * is the sum of q[16 i .. 16 i + 15]. An all-zero block has d = 0. */
#define AI_Q8K_SUMS 16u
typedef struct {
	float d;
	int16_t bsums[AI_Q8K_SUMS];
	int8_t q[AI_QK_K];
} ai_q8k_t;

/* Quantize n floats (a multiple of AI_QK_K) into n / AI_QK_K blocks. Finite
 * input only gives defined results; non-finite input gives non-finite dots,
 * never undefined behaviour. */
typedef void (*ai_quant_q8k_fn)(const float *x, size_t n, ai_q8k_t *out);

/* K-quant rows of type (Q2_K .. Q6_K) against quantized activations: for
 * r < n_rows and v < n_vec (n_vec in [1, AI_DOT_MAX_VEC]),
 * out[v * out_stride + r] = the dot product of row rows + r * row_bytes with
 * the activation blocks xq + v * xq_stride, over n elements (a multiple of
 * AI_QK_K; xq_stride counts blocks). The integer part of each super-block is
 * exact; the result is the dequantized row times the dequantized activations
 * up to float rounding of a few terms per super-block. Several rows per call
 * keep the per-call set-up off each row. */
typedef void (*ai_dot_kquant_fn)(nc_ggml_type_t type, const uint8_t *rows, size_t row_bytes, size_t n_rows,
                                 const ai_q8k_t *xq, size_t xq_stride, size_t n_vec, size_t n, float *out,
                                 size_t out_stride);

/* A register tile for prompt processing: rows r < tile_rows from row0
 * (row_bytes apart) against vectors v < tile_vecs (x + v * x_stride), n
 * elements each: y[v * y_stride + r] = dot(row r, vector v). Each weight is
 * loaded (and converted or dequantized) once for all the tile's vectors. */
typedef void (*ai_tile_fn)(nc_ggml_type_t type, const uint8_t *row0, size_t row_bytes, const float *x,
                           size_t x_stride, size_t n, float *y, size_t y_stride);

/* Prompt processing on transposed activations: rows r < n_rows from row0
 * (row_bytes apart) against n_vec vectors given as xt[k * xs + v] for k < n
 * (xs a multiple of 16, at least AI_XT_STRIDE(n_vec); the padding lanes v
 * in [n_vec, AI_XT_STRIDE(n_vec)) readable, their results dropped):
 * y[v * y_vs + r * y_rs] = dot(row r, vector v) over n elements (a multiple
 * of AI_QK for the quantized rows). */
#define AI_XT_STRIDE(n_vec) (((size_t)(n_vec) + 15u) / 16u * 16u)
typedef void (*ai_gemm_fn)(nc_ggml_type_t type, const uint8_t *row0, size_t row_bytes, size_t n_rows,
                           const float *xt, size_t xs, size_t n_vec, size_t n, float *y, size_t y_vs, size_t y_rs);

typedef struct {
	const char *name;
	ai_tile_fn tile;          /* NULL: the dot kernels row by row */
	uint32_t tile_types;      /* bit t set: tile (or gemm) handles ggml type t */
	uint32_t tile_rows;       /* tasks split rows at multiples of this */
	uint32_t tile_vecs;       /* tile's vectors; gemm: the fewest vectors it is used for */
	ai_dot_fn dot;            /* F32, F16, BF16, Q8_0, Q4_0 rows */
	ai_quant_q8k_fn quant_q8k;
	ai_dot_kquant_fn dot_kquant;
	ai_gemm_fn gemm;          /* NULL: tile, or the dot kernels */
	void (*expf)(float *v, size_t n);  /* v[i] = nc_ai_expf(v[i]), the same bits */
	/* g[i] = silu(g[i]) * u[i] = g[i] / (1 + nc_ai_expf(-g[i])) * u[i], the same bits */
	void (*silu_mul)(float *g, const float *u, size_t n);
} ai_kernels_t;

extern const ai_kernels_t ai_kernels_portable;
extern const ai_kernels_t ai_kernels_avx2;
extern const ai_kernels_t ai_kernels_avx512;
/* True when the CPU and OS support AVX2, FMA, F16C and the YMM state (CPUID, XGETBV). */
bool ai_cpu_has_avx2(void);
/* True when they also support AVX-512 F, BW and VL and the ZMM state. */
bool ai_cpu_has_avx512(void);

/* The kernel table for a context's simd choice. Errors: UNSUPPORTED (the CPU
 * lacks the instructions), ARG (not an nc_ai_simd_t). */
nc_ai_err_t ai_kernels_for(nc_ai_simd_t simd, const ai_kernels_t **out);

/* The portable expf and silu_mul: nc_ai_expf one element at a time. */
void ai_expf_each(float *v, size_t n);
void ai_silu_mul_each(float *g, const float *u, size_t n);
/* Half and bfloat16 to float (IEEE 754 binary16; bfloat16 = top half of binary32). */
float ai_f16_to_f32(uint16_t h);
float ai_bf16_to_f32(uint16_t b);
/* K-quants (kquant.c): one super-block of AI_QK_K elements into out, the
 * portable dot kernels, and the 6-bit scales and mins of the eight
 * sub-blocks of a Q4_K/Q5_K super-block from its 12 packed scale bytes s:
 * out[j] = sc_j, out[8 + j] = m_j. The portable quantizer is in q8k.c. */
void ai_kq_unpack_scales(const uint8_t *s, uint8_t out[16]);
void ai_dequant_q2_k(const uint8_t *blk, float *out);
void ai_dequant_q3_k(const uint8_t *blk, float *out);
void ai_dequant_q4_k(const uint8_t *blk, float *out);
void ai_dequant_q5_k(const uint8_t *blk, float *out);
void ai_dequant_q6_k(const uint8_t *blk, float *out);
void ai_quant_q8k(const float *x, size_t n, ai_q8k_t *out);
void ai_dot_kquant(nc_ggml_type_t type, const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq,
                   size_t xq_stride, size_t n_vec, size_t n, float *out, size_t out_stride);
/* Row r of m as n_in floats into out. */
void ai_mat_get_row(const ai_mat_t *m, size_t r, float *out);
/* True for the K-quant weight types (Q2_K .. Q6_K); their block size in bytes. */
bool ai_type_is_kquant(nc_ggml_type_t type);
size_t ai_kquant_block_bytes(nc_ggml_type_t type);
/* The AVX2 dot kernel (kern_avx2.c), quantizer and K-quant kernels
 * (kquant_avx2.c), same contracts; the AVX-512 table uses them too. */
void ai_dot_avx2(nc_ggml_type_t type, const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                 float *out);
void ai_quant_q8k_avx2(const float *x, size_t n, ai_q8k_t *out);
void ai_dot_kquant_avx2(nc_ggml_type_t type, const uint8_t *rows, size_t row_bytes, size_t n_rows,
                        const ai_q8k_t *xq, size_t xq_stride, size_t n_vec, size_t n, float *out,
                        size_t out_stride);

/* Y[v][r] = W[r] . X[v] for v < n_vec, over all rows of w, spread over pool.
 * scratch: AI_MATMUL_SCRATCH(n_in, n_vec) bytes, 64-byte aligned: x
 * transposed once for a gemm kernel, then quantized once for K-quant
 * weights (n_vec * n_in / AI_QK_K blocks), each when some matrix needs it
 * (NULL allowed when none does); every row uses them. */
#define AI_MATMUL_SCRATCH(n_in, n_vec) \
	((size_t)(n_in) * AI_XT_STRIDE(n_vec) * sizeof(float) + (size_t)(n_vec) * ((n_in) / AI_QK_K) * sizeof(ai_q8k_t))
void ai_matmul(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *w, const float *x,
               size_t n_vec, void *scratch, float *y);
/* The same for n_mats (1 to AI_MATMUL_MAX) matrices w[i] of one n_in read
 * with the same x, into y[i], in one pool run (results equal ai_matmul's). */
#define AI_MATMUL_MAX 3u
void ai_matmul_n(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *const *w, float *const *y,
                 size_t n_mats, const float *x, size_t n_vec, void *scratch);
/* SwiGLU's first half in one pool run: g = silu(gate x) * (up x), u = up x
 * (gate and up of the same shape; g and u as ai_matmul's y). Each task
 * computes rows of both matrices and applies the kernels' silu_mul to them,
 * so g equals ai_matmul twice and silu_mul bit for bit. */
void ai_matmul_swiglu(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *gate, const ai_mat_t *up,
                      const float *x, size_t n_vec, void *scratch, float *g, float *u);
/* Run fn(arg, i, n) for i < n_tasks on pool (or inline when pool is NULL). */
void ai_pool_run(const nc_ai_pool_t *pool, nc_ai_task_fn fn, void *arg, size_t n_tasks);

/* ---- Tokenizer ---- */

typedef enum { AI_PRE_GPT2 = 0, AI_PRE_LLAMA3, AI_PRE_QWEN2 } ai_pretok_t;

typedef struct {
	uint64_t key;     /* (left id << 32) | right id, or (hash) for the vocab map */
	int32_t value;    /* merged id / token id; -1: empty slot */
	int32_t rank;     /* merge rank */
} ai_slot_t;

typedef struct {
	uint32_t n_vocab;
	uint8_t *bytes;          /* all tokens' decoded bytes, back to back */
	size_t bytes_len;
	uint32_t *offs;          /* n_vocab + 1 offsets into bytes */
	int32_t *types;          /* tokenizer.ggml.token_type (1 normal, 3 control, ...) */
	ai_slot_t *vocab_map;    /* bytes -> id, open addressing */
	size_t vocab_cap;
	ai_slot_t *merge_map;    /* (a, b) -> merged id, rank */
	size_t merge_cap;
	int32_t byte_id[256];    /* token of each single byte, -1 if none */
	int32_t *specials;       /* control and user-defined token ids, longest text first */
	size_t n_specials;
	int32_t bos_id, eos_id;
	bool add_bos;
	ai_pretok_t pre;
	bool ignore_merges;      /* a pre-token that is a whole token is not merged (llama3) */
} ai_tokenizer_t;

nc_ai_err_t ai_tokenizer_load(ai_tokenizer_t *t, const nc_gguf_file_t *f, const nc_ai_alloc_t *a);
void ai_tokenizer_free(ai_tokenizer_t *t, const nc_ai_alloc_t *a);

/* The pre-tokenizer llama.cpp calls name (tokenizer.ggml.pre); false when
 * ours has no pattern equal to that name's. */
bool ai_pretok_lookup(nc_gguf_str_t name, ai_pretok_t *style, bool *ignore_merges);
/* Length in bytes of the next pre-token of text[pos..len) (> 0 when pos < len). */
size_t ai_pretok_next(ai_pretok_t style, const uint8_t *text, size_t len, size_t pos);
/* Unicode classes used by the pre-tokenizers (generated tables). */
bool ai_uni_is_letter(uint32_t cp);
bool ai_uni_is_number(uint32_t cp);

/* ---- Tensor binding (bind.c) ---- */

/* One tensor to bind: its name, wanted dims and where the view goes. */
typedef struct {
	char name[64];
	uint64_t ne[3];
	uint32_t n_dims;
	ai_mat_t *mat;        /* 2D/3D weights */
	const float **vec;    /* 1D norms */
	bool optional;
} ai_binding_t;

/* F32 copies a loader made (see ai_bind_all), freed together. */
typedef struct {
	nc_ai_alloc_t alloc;
	void **ptr;
	size_t *bytes;
	size_t n, cap;
} ai_copies_t;

/* Room for cap copies. Errors: NOMEM (nothing stays allocated). */
nc_ai_err_t ai_copies_init(ai_copies_t *c, const nc_ai_alloc_t *a, size_t cap);
/* Free every copy and the lists (a zeroed c is fine). */
void ai_copies_free(ai_copies_t *c);
/* Append a binding of tensor name with dims ne0..ne2 (ne2 0: 2-D; vec: 1-D
 * of ne0) to b[*n]. */
void ai_binding_add(ai_binding_t *b, size_t *n, const char *name, uint64_t ne0, uint64_t ne1,
                    uint64_t ne2, ai_mat_t *mat, const float **vec);
/* Check b[0..n) against f (t[i] gets each tensor, NULL for an optional one
 * absent), refuse files with other tensors (UNSUPPORTED), then bind, copying
 * into copies (cap >= n): 1-D tensors (read as floats) that are F16/BF16, F32
 * tensors not 4-byte aligned, and, when f32_matrices, every F16/BF16 matrix
 * too (the llama loader uses its matrices in place; the speech model reads
 * some of its own as floats). Errors: MISSING_TENSOR, TENSOR_SHAPE,
 * TENSOR_TYPE, UNSUPPORTED, NOMEM. */
nc_ai_err_t ai_bind_all(const nc_gguf_file_t *f, const ai_binding_t *b, size_t n, const nc_gguf_tensor_t **t,
                        bool f32_matrices, ai_copies_t *copies);

/* The start every loader shares (model.c, asr.c): reset *out and *gguf_err
 * and check the arguments (false: ARG); then parse image into f, mapping the
 * reader's error (NOMEM, or FORMAT with *gguf_err telling why). */
/* The end every loader's close shares: free the copies, the layer array
 * (may be NULL), the parsed GGUF and the object itself, with a (a copy: it
 * may live in obj). */
void ai_loader_free(nc_ai_alloc_t a, ai_copies_t *copies, void *layers, size_t layers_bytes, nc_gguf_file_t *f,
                    void *obj, size_t obj_bytes);
/* bytes of zeroed memory from a, 64-byte aligned; NULL when out of memory. */
void *ai_zalloc(const nc_ai_alloc_t *a, size_t bytes);
bool ai_loader_args(const void *image, const nc_ai_alloc_t *alloc, void **out, nc_gguf_err_t *gguf_err);
nc_ai_err_t ai_open_gguf(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc, nc_gguf_file_t *f,
                         nc_gguf_err_t *gguf_err);

/* ---- Model ---- */

typedef struct {
	const float *attn_norm;   /* [n_embd] */
	ai_mat_t wq, wk, wv, wo;  /* [n_head*hd][n_embd], [n_kv*hd][n_embd] x2, [n_embd][n_head*hd] */
	const float *ffn_norm;    /* [n_embd] */
	ai_mat_t gate, up, down;  /* dense: [n_ff][n_embd] x2, [n_embd][n_ff] */
	ai_mat_t gate_inp;        /* MoE router: [n_expert][n_embd] */
	ai_mat_t gate_exps, up_exps, down_exps; /* [n_expert*n_ff][n_embd] x2, [n_expert*n_embd][n_ff] */
} ai_layer_t;

struct nc_ai_model {
	nc_gguf_file_t gguf;
	nc_ai_alloc_t alloc;
	nc_ai_model_info_t info;
	ai_mat_t tok_embd;         /* [n_vocab][n_embd] */
	const float *output_norm;  /* [n_embd] */
	ai_mat_t output;           /* [n_vocab][n_embd] (token_embd when absent: tied) */
	ai_layer_t *layers;
	ai_copies_t copies;        /* F32 copies made of F16/BF16 tensors */
	ai_tokenizer_t tok;
};

/* ---- Context ---- */

struct nc_ai_ctx {
	const nc_ai_model_t *m;
	nc_ai_alloc_t alloc;
	const nc_ai_pool_t *pool;
	const ai_kernels_t *k;
	uint32_t n_ctx;
	uint32_t n_past;
	void *mem;               /* the one allocation holding everything below */
	size_t mem_bytes;
	float *k_cache;          /* [n_layer][n_ctx][n_kv*hd] */
	float *v_cache;          /* [n_layer][n_ctx][n_kv*hd] */
	float *rope_cos;         /* [n_ctx][hd/2] */
	float *rope_sin;
	float *x;                /* [B][n_embd] residual stream */
	float *xb;               /* [B][n_embd] normed input */
	float *xb2;              /* [B][n_embd] attention output / expert output */
	float *q;                /* [B][n_head*hd] */
	float *kv_k, *kv_v;      /* [B][n_kv*hd] */
	float *hb, *hb2;         /* [B][n_ff] */
	float *att;              /* [B][n_head][n_ctx] scores */
	float *router;           /* [B][n_expert] */
	void *mm_scratch;        /* AI_MATMUL_SCRATCH(max(n_embd, n_ff), B): matmul input, quantized or transposed */
	float *logits;           /* [n_vocab] after the last token */
	float *logits_b;         /* [B][n_vocab] */
	int32_t *tokens;         /* [n_ctx] the tokens at each position */
	int32_t *moe_sel;        /* [B][n_expert_used] */
	float *moe_w;            /* [B][n_expert_used] */
	int32_t *moe_rows;       /* [B] tokens routed to one expert */
	float *moe_rw;           /* [B] their weights */
	float *probs;            /* [n_vocab] sampler scratch */
	int32_t *idx;            /* [n_vocab] sampler scratch */
};

/* Run ids[0..n) (already validated, fitting) from position n_past; advances
 * n_past. all_logits: n * n_vocab floats or NULL. hidden_sum: n_embd doubles
 * to which each position's output-normed hidden state is added, or NULL. */
void ai_forward(nc_ai_ctx_t *c, const int32_t *ids, size_t n, float *all_logits, double *hidden_sum);
/* Check ids against the vocabulary and the free context. */
nc_ai_err_t ai_check_tokens(const nc_ai_ctx_t *c, const int32_t *ids, size_t n);

/* ---- Sampling ---- */

typedef struct {
	uint64_t s[4];
} ai_rng_t;

void ai_rng_seed(ai_rng_t *r, uint64_t seed);
/* Uniform in [0, 1) with 24 bits. */
float ai_rng_float(ai_rng_t *r);

/* Choose the next token from logits (modified in place by the penalty). */
int32_t ai_sample(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, float *logits, ai_rng_t *rng);

#endif

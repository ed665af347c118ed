/* Internal declarations of the speech model (asr.c, asr_forward.c, wav.c).
 * Activations are [frames][channels], row-major; a weight matrix of GGUF dims
 * [n_in, n_out] is n_out rows of n_in, y = W x (ai_int.h). */
#ifndef NC_AI_ASR_INT_H
#define NC_AI_ASR_INT_H

#include "ai_int.h"

#include <nc/ai_asr.h>

#define ASR_FFT_MAX 4096u
#define ASR_VOCAB_MAX 1024u
#define ASR_TOKEN_MAX 32u        /* bytes of one token's string */
#define ASR_CTX_MAX 16384u
#define ASR_BINDINGS_GLOBAL 12u
#define ASR_BINDINGS_PER_LAYER 12u
#define ASR_PI 3.14159265358979323846
#define ASR_LEXICON_MAX 16384u   /* words of a lexicon */
#define ASR_WORD_MAX 32u         /* bytes of one lexicon word */
#define ASR_BEAM_MAX 64u         /* most hypotheses of the lexicon beam search */
#define ASR_PRIOR_WEIGHT_MAX 100.0f
#define ASR_TRIE_NONE 0xffffffffu

/* A node of the lexicon's trie: node 0 is the root (the empty word). */
typedef struct {
	uint32_t child;                           /* first child, 0: none */
	uint32_t sibling;                         /* next sibling, 0: none */
	uint32_t word;                            /* the word ending here, ASR_TRIE_NONE: none */
	uint8_t byte;                             /* the byte leading here from the parent */
} asr_trie_node_t;

/* The decoder's lexicon (ncasr.lexicon...; n_words 0: the model has none). */
typedef struct {
	asr_trie_node_t *nodes;                   /* [n_nodes] */
	uint32_t n_nodes, cap_nodes;
	float *log_prior;                         /* [n_prior] (n_words once read) */
	uint32_t n_prior;
	uint32_t n_words;
	uint32_t beam_width;
	float prior_weight;
	uint32_t space;                           /* the token id of " " */
} asr_lexicon_t;

typedef struct {
	const float *attn_norm_w, *attn_norm_b;   /* [d] */
	ai_mat_t qkv;                             /* [3d][d]: q, k, v rows */
	const float *qkv_b;                       /* [3d] */
	ai_mat_t wo;                              /* [d][d] */
	const float *wo_b;
	const float *ffn_norm_w, *ffn_norm_b;
	ai_mat_t up;                              /* [n_ff][d] */
	const float *up_b;
	ai_mat_t down;                            /* [d][n_ff] */
	const float *down_b;
} asr_layer_t;

struct nc_ai_asr {
	nc_gguf_file_t gguf;
	nc_ai_alloc_t alloc;
	nc_ai_asr_info_t info;
	const float *window;                      /* [win] */
	ai_mat_t mel;                             /* [n_mels][n_fft/2+1] filters */
	const float *mean, *istd;                 /* [n_mels] feature normalisation */
	ai_mat_t conv1;                           /* [d][n_mels*K]: column c*K + k */
	const float *conv1_b;
	ai_mat_t conv2;                           /* [d][d*K] */
	const float *conv2_b;
	asr_layer_t *layers;
	const float *out_norm_w, *out_norm_b;
	ai_mat_t output;                          /* [n_vocab][d] */
	const float *output_b;
	nc_gguf_str_t tokens[ASR_VOCAB_MAX];      /* token i's string, in the file (0: blank, "") */
	uint16_t fft_rev[ASR_FFT_MAX];            /* bit reversal of the index */
	double fft_cos[ASR_FFT_MAX / 2], fft_sin[ASR_FFT_MAX / 2];  /* e^(-2 pi i k / n_fft) */
	ai_copies_t copies;
	asr_lexicon_t lex;
};

/* asr_lexicon.c: read the optional lexicon (TOKENIZER when it is malformed,
 * NOMEM), free it; the trie node reached from node by the bytes s[0..n), or
 * ASR_TRIE_NONE. */
nc_ai_err_t asr_lexicon_read(nc_ai_asr_t *m);
void asr_lexicon_free(nc_ai_asr_t *m);
uint32_t asr_trie_walk(const asr_lexicon_t *lx, uint32_t node, const char *s, size_t n);

/* asr_beam.c: the lexicon beam search over logits [n_frames][n_vocab] into
 * text (nc_ai_asr_decode's contract); the scratch bytes it allocates. */
nc_ai_err_t asr_beam_decode(const nc_ai_asr_t *m, const float *logits, size_t n_frames, const nc_ai_alloc_t *alloc,
                            char *text, size_t cap, size_t *len_out);
size_t asr_beam_scratch_bytes(const nc_ai_asr_t *m, size_t n_frames);

/* asr_decode.c: ARG for an unknown decode, UNSUPPORTED for LEXICON on a model
 * without a lexicon, else OK. */
nc_ai_err_t asr_decode_check(const nc_ai_asr_t *m, nc_ai_asr_decode_t decode);

#endif

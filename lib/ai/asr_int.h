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
};

#endif

/* The speech model's forward pass, in the order of
 * tools/models/speech_model.py (the PyTorch reference): log-mel front end
 * (radix-2 FFT in double), conv1 + SiLU, conv2 (stride 2) + SiLU, sinusoidal
 * positions, n_layer pre-norm blocks (LayerNorm, multi-head attention over all
 * frames, residual; LayerNorm, up, SiLU, down, residual), LayerNorm, output
 * projection; then the logits are decoded (asr_decode.c). One allocation of
 * scratch per call (asr_plan), and the decoder's own. */
#include "asr_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

/* Where each buffer of a call's scratch lives (float offsets; sizes in floats). */
typedef struct {
	size_t n_frames, n_out;     /* T (front end) and T2 (encoder) */
	size_t feats, col, h1, x, xb, qkv, ff, att, logits, re, im, total;
} asr_plan_t;

static size_t frames_of(const nc_ai_asr_info_t *h, size_t n_samples)
{
	return n_samples < h->win ? 0 : (n_samples - h->win) / h->hop + 1;
}

static asr_plan_t plan(const nc_ai_asr_info_t *h, size_t n_samples)
{
	asr_plan_t p = { .n_frames = frames_of(h, n_samples) };
	p.n_out = p.n_frames ? (p.n_frames - 1) / 2 + 1 : 0;
	size_t T = p.n_frames, T2 = p.n_out, d = h->n_embd, K = h->kernel, at = 0;
	size_t col = T * h->n_mels * K > T2 * d * K ? T * h->n_mels * K : T2 * d * K;
	const size_t sizes[] = { T * h->n_mels, col, T * d, T2 * d, T2 * d, T2 * 3 * d, T2 * h->n_ff, T2,
				 T2 * h->n_vocab, 2 * (size_t)h->n_fft, 2 * (size_t)h->n_fft };
	size_t *offs[] = { &p.feats, &p.col, &p.h1, &p.x, &p.xb, &p.qkv, &p.ff, &p.att, &p.logits, &p.re, &p.im };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		*offs[i] = at;
		at += (sizes[i] + 15) & ~(size_t)15;  /* 64-byte aligned; re/im hold doubles */
	}
	p.total = at;
	return p;
}

size_t nc_ai_asr_scratch_bytes(const nc_ai_asr_t *m, size_t n_samples)
{
	asr_plan_t p = plan(&m->info, n_samples);
	return p.total * sizeof(float) + asr_beam_scratch_bytes(m, p.n_out);
}

/* In-place radix-2 FFT of re/im (n = n_fft). */
static void fft(const nc_ai_asr_t *m, double *re, double *im)
{
	uint32_t n = m->info.n_fft;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = m->fft_rev[i];
		if (j > i) {
			double t = re[i];
			re[i] = re[j];
			re[j] = t;
			t = im[i];
			im[i] = im[j];
			im[j] = t;
		}
	}
	for (uint32_t len = 2; len <= n; len <<= 1) {
		uint32_t step = n / len;
		for (uint32_t s = 0; s < n; s += len)
			for (uint32_t k = 0; k < len / 2; k++) {
				double wr = m->fft_cos[k * step], wi = m->fft_sin[k * step];
				uint32_t a = s + k, b = a + len / 2;
				double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
				re[b] = re[a] - xr;
				im[b] = im[a] - xi;
				re[a] += xr;
				im[a] += xi;
			}
	}
}

static float sample_at(const uint8_t *pcm, size_t i)
{
	return (float)(int16_t)(uint16_t)(pcm[2 * i] | pcm[2 * i + 1] << 8) / 32768.0f;
}

/* Normalised log-mel features of every frame into feats [T][n_mels]. */
static void front_end(const nc_ai_asr_t *m, const uint8_t *pcm, const asr_plan_t *p, float *s)
{
	const nc_ai_asr_info_t *h = &m->info;
	double *re = (double *)(void *)(s + p->re), *im = (double *)(void *)(s + p->im);
	size_t bins = h->n_fft / 2 + 1;
	float power[ASR_FFT_MAX / 2 + 1];
	for (size_t t = 0; t < p->n_frames; t++) {
		for (uint32_t j = 0; j < h->n_fft; j++) {
			re[j] = j < h->win ? (double)(sample_at(pcm, t * h->hop + j) * m->window[j]) : 0.0;
			im[j] = 0.0;
		}
		fft(m, re, im);
		for (size_t b = 0; b < bins; b++)
			power[b] = (float)(re[b] * re[b] + im[b] * im[b]);
		float *out = s + p->feats + t * h->n_mels;
		for (uint32_t k = 0; k < h->n_mels; k++) {
			const float *f = (const float *)(const void *)(m->mel.data + k * m->mel.row_bytes);
			float acc = 0;
			for (size_t b = 0; b < bins; b++)
				acc += f[b] * power[b];
			out[k] = ((float)nc_ai_log((double)acc + h->log_offset) - m->mean[k]) * m->istd[k];
		}
	}
}

static float silu(float x)
{
	return x / (1.0f + nc_ai_expf(-x));
}

/* out[t] = SiLU(W col(in, t) + b) for t < n_out: a 1-D convolution over in
 * [n_in_frames][c] with kernel K, padding K/2 and the given stride. */
static void conv(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *w, const float *bias,
                 const float *in, size_t n_in_frames, size_t c, size_t K, size_t stride, size_t n_out,
                 float *col, float *out)
{
	size_t pad = K / 2;
	for (size_t t = 0; t < n_out; t++)
		for (size_t ch = 0; ch < c; ch++)
			for (size_t j = 0; j < K; j++) {
				size_t src = t * stride + j;  /* frame src - pad */
				col[t * c * K + ch * K + j] =
					src >= pad && src - pad < n_in_frames ? in[(src - pad) * c + ch] : 0.0f;
			}
	ai_matmul(k, pool, w, col, n_out, NULL, out);
	for (size_t t = 0; t < n_out; t++)
		for (size_t o = 0; o < w->n_out; o++)
			out[t * w->n_out + o] = silu(out[t * w->n_out + o] + bias[o]);
}

static void layer_norm(float *out, const float *x, const float *w, const float *b, size_t n, float eps)
{
	double mean = 0, var = 0;
	for (size_t i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		var += ((double)x[i] - mean) * ((double)x[i] - mean);
	float r = (float)(1.0 / nc_ai_sqrt(var / (double)n + eps));
	for (size_t i = 0; i < n; i++)
		out[i] = ((float)(x[i] - mean) * r) * w[i] + b[i];
}

static void add_bias(float *y, const float *b, size_t rows, size_t n)
{
	for (size_t r = 0; r < rows; r++)
		for (size_t i = 0; i < n; i++)
			y[r * n + i] += b[i];
}

/* Multi-head attention of every frame over all frames: qkv [T2][3d] -> out [T2][d]. */
static void attention(const nc_ai_asr_info_t *h, const float *qkv, size_t T2, float *att, float *out)
{
	size_t d = h->n_embd, hd = d / h->n_head;
	float scale = nc_ai_sqrtf((float)hd);
	for (size_t head = 0; head < h->n_head; head++)
		for (size_t i = 0; i < T2; i++) {
			const float *q = qkv + i * 3 * d + head * hd;
			float mx = -3.4e38f, sum = 0;
			for (size_t j = 0; j < T2; j++) {
				const float *k = qkv + j * 3 * d + d + head * hd;
				float dot = 0;
				for (size_t e = 0; e < hd; e++)
					dot += q[e] * k[e];
				att[j] = dot / scale;
				mx = att[j] > mx ? att[j] : mx;
			}
			for (size_t j = 0; j < T2; j++) {
				att[j] = nc_ai_expf(att[j] - mx);
				sum += att[j];
			}
			float *o = out + i * d + head * hd;
			nc_mem_set(o, 0, hd * sizeof *o);
			for (size_t j = 0; j < T2; j++) {
				const float *v = qkv + j * 3 * d + 2 * d + head * hd;
				float pj = att[j] / sum;
				for (size_t e = 0; e < hd; e++)
					o[e] += pj * v[e];
			}
		}
}

static void positions(const nc_ai_asr_info_t *h, float *x, size_t T2)
{
	size_t d = h->n_embd;
	double ln_base = nc_ai_log(10000.0);
	for (size_t i = 0; i < d / 2; i++) {
		double inv = nc_ai_exp(-(double)(2 * i) / (double)d * ln_base);
		for (size_t t = 0; t < T2; t++) {
			x[t * d + 2 * i] += (float)nc_ai_sin((double)t * inv);
			x[t * d + 2 * i + 1] += (float)nc_ai_cos((double)t * inv);
		}
	}
}

static void encoder(const nc_ai_asr_t *m, const ai_kernels_t *k, const nc_ai_pool_t *pool, const asr_plan_t *p,
                    float *s)
{
	const nc_ai_asr_info_t *h = &m->info;
	size_t T2 = p->n_out, d = h->n_embd;
	float *x = s + p->x, *xb = s + p->xb, *qkv = s + p->qkv, *ff = s + p->ff;
	conv(k, pool, &m->conv1, m->conv1_b, s + p->feats, p->n_frames, h->n_mels, h->kernel, 1, p->n_frames,
	     s + p->col, s + p->h1);
	conv(k, pool, &m->conv2, m->conv2_b, s + p->h1, p->n_frames, d, h->kernel, 2, T2, s + p->col, x);
	positions(h, x, T2);
	for (uint32_t l = 0; l < h->n_layer; l++) {
		const asr_layer_t *L = &m->layers[l];
		for (size_t t = 0; t < T2; t++)
			layer_norm(xb + t * d, x + t * d, L->attn_norm_w, L->attn_norm_b, d, h->eps);
		ai_matmul(k, pool, &L->qkv, xb, T2, NULL, qkv);
		add_bias(qkv, L->qkv_b, T2, 3 * d);
		attention(h, qkv, T2, s + p->att, xb);
		ai_matmul(k, pool, &L->wo, xb, T2, NULL, qkv);
		for (size_t i = 0; i < T2 * d; i++)
			x[i] += qkv[i] + L->wo_b[i % d];
		for (size_t t = 0; t < T2; t++)
			layer_norm(xb + t * d, x + t * d, L->ffn_norm_w, L->ffn_norm_b, d, h->eps);
		ai_matmul(k, pool, &L->up, xb, T2, NULL, ff);
		for (size_t i = 0; i < T2 * h->n_ff; i++)
			ff[i] = silu(ff[i] + L->up_b[i % h->n_ff]);
		ai_matmul(k, pool, &L->down, ff, T2, NULL, qkv);
		for (size_t i = 0; i < T2 * d; i++)
			x[i] += qkv[i] + L->down_b[i % d];
	}
	for (size_t t = 0; t < T2; t++)
		layer_norm(xb + t * d, x + t * d, m->out_norm_w, m->out_norm_b, d, h->eps);
	ai_matmul(k, pool, &m->output, xb, T2, NULL, s + p->logits);
	add_bias(s + p->logits, m->output_b, T2, h->n_vocab);
}

/* Run the model over pcm into a new scratch block (*scratch, *bytes; free it
 * with alloc); *p gets the plan. Errors: CONTEXT_FULL, NOMEM. */
static nc_ai_err_t run(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples, const nc_ai_alloc_t *alloc,
                       const nc_ai_pool_t *pool, nc_ai_simd_t simd, asr_plan_t *p, float **scratch)
{
	*p = plan(&m->info, n_samples);
	*scratch = NULL;
	bool avx2 = ai_cpu_has_avx2();
	if ((simd == NC_AI_SIMD_AVX2 && !avx2) ||
	    (simd != NC_AI_SIMD_AUTO && simd != NC_AI_SIMD_PORTABLE && simd != NC_AI_SIMD_AVX2))
		return NC_AI_ERR_UNSUPPORTED;
	if (p->n_out > m->info.n_ctx)
		return NC_AI_ERR_CONTEXT_FULL;
	if (!p->n_out)
		return NC_AI_OK;
	float *s = alloc->alloc(alloc->ctx, p->total * sizeof(float), 64);
	if (!s)
		return NC_AI_ERR_NOMEM;
	const ai_kernels_t *k = avx2 && simd != NC_AI_SIMD_PORTABLE ? &ai_kernels_avx2 : &ai_kernels_portable;
	front_end(m, pcm, p, s);
	encoder(m, k, pool, p, s);
	*scratch = s;
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_asr_logits(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples,
                             const nc_ai_alloc_t *alloc, const nc_ai_pool_t *pool, nc_ai_simd_t simd,
                             float *logits, size_t cap, size_t *n_frames)
{
	if (!m || (!pcm && n_samples) || !alloc || (!logits && cap) || !n_frames)
		return NC_AI_ERR_ARG;
	asr_plan_t p;
	float *s;
	nc_ai_err_t e = run(m, pcm, n_samples, alloc, pool, simd, &p, &s);
	*n_frames = p.n_out;
	size_t n = p.n_out * m->info.n_vocab;
	if (!e && n > cap)
		e = NC_AI_ERR_BUFFER;
	if (!e && s)
		nc_mem_copy(logits, s + p.logits, n * sizeof *logits);
	if (s)
		alloc->free(alloc->ctx, s, p.total * sizeof(float));
	return e;
}

nc_ai_err_t nc_ai_asr_transcribe(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples,
                                 const nc_ai_alloc_t *alloc, const nc_ai_pool_t *pool, nc_ai_simd_t simd,
                                 nc_ai_asr_decode_t decode, char *text, size_t cap, size_t *len_out)
{
	if (!m || (!pcm && n_samples) || !alloc || (!text && cap) || !len_out)
		return NC_AI_ERR_ARG;
	nc_ai_err_t e = asr_decode_check(m, decode);
	if (e)
		return e;
	*len_out = 0;
	asr_plan_t p;
	float *s;
	e = run(m, pcm, n_samples, alloc, pool, simd, &p, &s);
	if (!e && s)
		e = nc_ai_asr_decode(m, s + p.logits, p.n_out, decode, alloc, text, cap, len_out);
	if (s)
		alloc->free(alloc->ctx, s, p.total * sizeof(float));
	return e;
}

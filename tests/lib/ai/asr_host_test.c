/* The speech model (lib/ai/asr*.c, wav.c) against PyTorch: a random-weight
 * ncasr model written by tests/lib/ai/make_asr_model.py with its reference
 * logits and text for a synthetic WAV (build/ai-asr/); malformed WAV files and
 * models; allocation failure at every allocation. The trained model's
 * transcriptions against PyTorch's are checked by asr_model_test.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai_asr.h>
#include <nc_test.h>

#include "ref_host.h"

#define DIR "build/ai-asr/"

typedef struct {
	const void *img, *wav;
	size_t img_len, wav_len;
	host_alloc_state_t st;
	nc_ai_alloc_t a;
	nc_ai_asr_t *m;
	nc_ai_wav_t w;
} fix_t;

static bool setup(fix_t *f)
{
	memset(f, 0, sizeof *f);
	f->st.fail_after = -1;
	f->a = host_alloc(&f->st);
	nc_gguf_err_t ge;
	return host_map_file(DIR "asr-rand.gguf", &f->img, &f->img_len) &&
	       host_map_file(DIR "asr-rand.wav", &f->wav, &f->wav_len) &&
	       nc_ai_asr_open(f->img, f->img_len, &f->a, &f->m, &ge) == NC_AI_OK &&
	       nc_ai_wav_parse(f->wav, f->wav_len, &f->w) == NC_AI_OK;
}

static void teardown(fix_t *f)
{
	nc_ai_asr_close(f->m);
	host_unmap_file(f->img, f->img_len);
	host_unmap_file(f->wav, f->wav_len);
}

/* The reference: logits [rows][cols] and the text. */
typedef struct {
	float *logits;
	size_t rows, cols;
	char text[4096];
	size_t text_len;
} asr_ref_t;

static bool load_ref(asr_ref_t *r)
{
	FILE *fp = fopen(DIR "asr-rand.ref", "r");
	char word[32];
	size_t rows, cols;
	bool ok = fp != NULL;
	memset(r, 0, sizeof *r);
	while (ok && fscanf(fp, "%31s %zu", word, &rows) == 2) {
		if (!strcmp(word, "beam")) { /* asr_decode_host_test's */
			char hex[8200];
			ok = fscanf(fp, "%8199s", hex) == 1;
			continue;
		}
		if (!strcmp(word, "text")) {
			char hex[8200];
			ok = rows < sizeof r->text && fscanf(fp, "%8199s", hex) == 1 && strlen(hex) == 2 * rows;
			for (size_t i = 0; ok && i < rows; i++) {
				unsigned v;
				ok = sscanf(hex + 2 * i, "%2x", &v) == 1;
				r->text[i] = (char)v;
			}
			r->text_len = rows;
			continue;
		}
		ok = fscanf(fp, "%zu", &cols) == 1;
		float *dst = ok && !strcmp(word, "logits") ? (r->logits = malloc(rows * cols * sizeof(float))) : NULL;
		for (size_t i = 0; ok && i < rows * cols; i++) {
			float v;
			ok = fscanf(fp, "%f", &v) == 1;
			if (dst)
				dst[i] = v;
		}
		if (dst) {
			r->rows = rows;
			r->cols = cols;
		}
	}
	if (fp)
		fclose(fp);
	return ok && r->logits && r->text_len;
}

NC_TEST(ai_asr, logits_and_text_equal_pytorch)
{
	fix_t f;
	asr_ref_t r;
	NC_CHECK(setup(&f));
	NC_CHECK(load_ref(&r));
	nc_ai_asr_info_t h;
	nc_ai_asr_get_info(f.m, &h);
	NC_CHECK_EQ(f.w.sample_rate, 16000);
	NC_CHECK_EQ(h.n_vocab, r.cols);
	float *l = malloc(r.rows * r.cols * sizeof *l);
	size_t frames;
	static const nc_ai_simd_t modes[] = { NC_AI_SIMD_PORTABLE, NC_AI_SIMD_AUTO };
	for (size_t k = 0; k < 2; k++) {
		NC_CHECK_EQ(nc_ai_asr_logits(f.m, f.w.data, f.w.n_frames, &f.a, NULL, modes[k], l, r.rows * r.cols,
					     &frames),
			    NC_AI_OK);
		NC_CHECK_EQ(frames, r.rows);
		double worst = 0;
		for (size_t i = 0; i < r.rows * r.cols; i++)
			worst = fmax(worst, fabs((double)l[i] - r.logits[i]));
		printf("# asr logits (%s): max difference %.3g over %zu frames\n", k ? "auto" : "portable", worst,
		       frames);
		NC_CHECK(worst < 2e-3);
	}
	char text[4096];
	size_t n;
	NC_CHECK_EQ(nc_ai_asr_transcribe(f.m, f.w.data, f.w.n_frames, &f.a, NULL, NC_AI_SIMD_AUTO,
						 NC_AI_ASR_DECODE_DEFAULT, text, sizeof text, &n), NC_AI_OK);
	NC_CHECK(n == r.text_len && !memcmp(text, r.text, n));
	/* a text buffer one byte short: BUFFER, the first bytes written */
	if (n) {
		size_t m;
		NC_CHECK_EQ(nc_ai_asr_transcribe(f.m, f.w.data, f.w.n_frames, &f.a, NULL, NC_AI_SIMD_AUTO,
							 NC_AI_ASR_DECODE_DEFAULT, text, n - 1, &m),
			    NC_AI_ERR_BUFFER);
		NC_CHECK_EQ(m, n);
	}
	/* shorter than one window: no frames, empty text */
	NC_CHECK_EQ(nc_ai_asr_transcribe(f.m, f.w.data, 100, &f.a, NULL, NC_AI_SIMD_AUTO,
						 NC_AI_ASR_DECODE_DEFAULT, text, sizeof text, &n), NC_AI_OK);
	NC_CHECK_EQ(n, 0);
	/* longer than the context (200 encoder frames = 4 s): CONTEXT_FULL */
	size_t long_n = 16000 * 5;
	uint8_t *pcm = calloc(long_n, 2);
	NC_CHECK_EQ(nc_ai_asr_transcribe(f.m, pcm, long_n, &f.a, NULL, NC_AI_SIMD_AUTO,
						 NC_AI_ASR_DECODE_DEFAULT, text, sizeof text, &n),
		    NC_AI_ERR_CONTEXT_FULL);
	free(pcm);
	NC_CHECK_EQ(f.st.live_bytes > 0, true);
	free(l);
	free(r.logits);
	teardown(&f);
}

/* Both models: without a lexicon (greedy) and with one (the beam search). */
NC_TEST(ai_asr, allocation_failure_leaks_nothing)
{
	fix_t f;
	NC_CHECK(setup(&f));
	const void *lex;
	size_t lex_len;
	NC_CHECK(host_map_file(DIR "asr-lex.gguf", &lex, &lex_len));
	for (int i = 0; i < 2; i++)
		for (long k = 0;; k++) {
			host_alloc_state_t st = { .fail_after = k };
			nc_ai_alloc_t a = host_alloc(&st);
			nc_ai_asr_t *m;
			nc_gguf_err_t ge;
			nc_ai_err_t e = nc_ai_asr_open(i ? lex : f.img, i ? lex_len : f.img_len, &a, &m, &ge);
			if (!e) {
				char text[256];
				size_t n;
				e = nc_ai_asr_transcribe(m, f.w.data, f.w.n_frames, &a, NULL, NC_AI_SIMD_AUTO,
							 NC_AI_ASR_DECODE_DEFAULT, text, sizeof text, &n);
				nc_ai_asr_close(m);
			}
			NC_CHECK_EQ(st.live_bytes, 0);
			if (!e)
				break;
			NC_CHECK_EQ(e, NC_AI_ERR_NOMEM);
		}
	host_unmap_file(lex, lex_len);
	teardown(&f);
}

NC_TEST(ai_asr, wrong_models_are_refused)
{
	fix_t f;
	NC_CHECK(setup(&f));
	const void *img;
	size_t len;
	nc_ai_asr_t *m;
	nc_gguf_err_t ge;
	NC_CHECK(host_map_file("tools/models/tiny-llama-f32.gguf", &img, &len));
	NC_CHECK_EQ(nc_ai_asr_open(img, len, &f.a, &m, &ge), NC_AI_ERR_ARCH);
	host_unmap_file(img, len);
	NC_CHECK_EQ(nc_ai_asr_open(f.img, f.img_len / 2, &f.a, &m, &ge), NC_AI_ERR_FORMAT);
	/* vocabularies: a token of 33 bytes, an empty one after the blank, a control byte */
	static const char *const bad[] = { DIR "asr-vocab-long.gguf", DIR "asr-vocab-empty.gguf",
					   DIR "asr-vocab-control.gguf" };
	for (size_t i = 0; i < 3; i++) {
		NC_CHECK(host_map_file(bad[i], &img, &len));
		NC_CHECK_EQ(nc_ai_asr_open(img, len, &f.a, &m, &ge), NC_AI_ERR_TOKENIZER);
		host_unmap_file(img, len);
	}
	teardown(&f);
}

/* A WAV header: RIFF, fmt with the given format/channels/rate/bits, data of n bytes. */
static size_t make_wav(uint8_t *b, uint16_t format, uint16_t ch, uint32_t rate, uint16_t bits, uint32_t n)
{
	uint32_t fmt_len = 16, riff = 4 + 8 + fmt_len + 8 + n;
	size_t k = 0;
#define PUT(p, l) (memcpy(b + k, p, l), k += l)
	PUT("RIFF", 4);
	PUT(&riff, 4);
	PUT("WAVE", 4);
	PUT("LIST", 4);
	uint32_t list_len = 3;
	PUT(&list_len, 4);
	PUT("abc\0", 4); /* odd chunk, padded */
	PUT("fmt ", 4);
	PUT(&fmt_len, 4);
	PUT(&format, 2);
	PUT(&ch, 2);
	PUT(&rate, 4);
	uint32_t byte_rate = rate * ch * bits / 8;
	uint16_t align = (uint16_t)(ch * bits / 8);
	PUT(&byte_rate, 4);
	PUT(&align, 2);
	PUT(&bits, 2);
	PUT("data", 4);
	PUT(&n, 4);
#undef PUT
	memset(b + k, 0, n);
	return k + n;
}

NC_TEST(ai_wav, parse_and_refuse)
{
	uint8_t b[512];
	nc_ai_wav_t w;
	size_t n = make_wav(b, 1, 1, 16000, 16, 100);
	NC_CHECK_EQ(nc_ai_wav_parse(b, n, &w), NC_AI_OK);
	NC_CHECK(w.channels == 1 && w.sample_rate == 16000 && w.bits == 16 && w.n_frames == 50);
	/* a data chunk claiming more than the file: cut to what is there */
	NC_CHECK_EQ(nc_ai_wav_parse(b, n - 10, &w), NC_AI_OK);
	NC_CHECK_EQ(w.n_frames, 45);
	n = make_wav(b, 3, 1, 16000, 32, 100); /* IEEE float */
	NC_CHECK_EQ(nc_ai_wav_parse(b, n, &w), NC_AI_ERR_AUDIO);
	n = make_wav(b, 1, 0, 16000, 16, 100);
	NC_CHECK_EQ(nc_ai_wav_parse(b, n, &w), NC_AI_ERR_AUDIO);
	n = make_wav(b, 1, 1, 16000, 16, 100);
	memcpy(b + 8, "WAVX", 4);
	NC_CHECK_EQ(nc_ai_wav_parse(b, n, &w), NC_AI_ERR_AUDIO);
	make_wav(b, 1, 1, 16000, 16, 100);
	for (size_t cut = 0; cut < 56; cut++) /* every truncation before the data chunk's body */
		NC_CHECK_EQ(nc_ai_wav_parse(b, cut, &w), NC_AI_ERR_AUDIO);
	NC_CHECK_EQ(nc_ai_wav_parse(NULL, 0, &w), NC_AI_ERR_ARG);
}

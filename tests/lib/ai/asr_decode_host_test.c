/* CTC decoding of the speech model (lib/ai/asr_decode.c, asr_beam.c,
 * asr_lexicon.c): the random-weight model of make_asr_model.py with its small
 * lexicon (LEXICON there: cat 1, cut 9, vim 5, is 5, in 3, all 2, al 1, the 8,
 * then 2, i 2, it 2, e' 1; beam 8; prior weight 0.5, and 0 in asr-lex-flat)
 * gives the lexicon beam text of tools/models/ctc_lexicon.py over PyTorch's
 * logits; hand-made logits where greedy and the beam search differ, with the
 * texts worked out by hand; decoding errors; malformed lexicons refused. (asr_host_test.c fails every
 * allocation of opening and transcribing with this model too.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai_asr.h>
#include <nc_test.h>

#include "ref_host.h"

#define DIR "build/ai-asr/"
#define FRAMES_MAX 16

typedef struct {
	const void *img;
	size_t img_len;
	host_alloc_state_t st;
	nc_ai_alloc_t a;
	nc_ai_asr_t *m;
	nc_ai_asr_info_t h;
} model_t;

static bool open_model(model_t *f, const char *path)
{
	memset(f, 0, sizeof *f);
	f->st.fail_after = -1;
	f->a = host_alloc(&f->st);
	nc_gguf_err_t ge;
	if (!host_map_file(path, &f->img, &f->img_len) || nc_ai_asr_open(f->img, f->img_len, &f->a, &f->m, &ge))
		return false;
	nc_ai_asr_get_info(f->m, &f->h);
	return true;
}

static void close_model(model_t *f)
{
	nc_ai_asr_close(f->m);
	host_unmap_file(f->img, f->img_len);
}

/* The token id of c in the model's vocabulary (blank 0, space 1, a..z, '). */
static size_t token_of(char c)
{
	if (c == '_')
		return 0;
	if (c == '|')
		return 1;
	if (c == '\'')
		return 28;
	return 2 + (size_t)(c - 'a');
}

/* Logits of frames written as "c9", "s5 a3 u2": a token ('_' the blank, '|'
 * the space) and its weight in tenths; every other token weighs 1e-6. */
static size_t make_logits(const char *const *frames, size_t n_vocab, float *l)
{
	size_t t = 0;
	for (; frames[t]; t++) {
		for (size_t v = 0; v < n_vocab; v++)
			l[t * n_vocab + v] = logf(1e-6f);
		for (const char *p = frames[t]; *p; p += p[2] ? 3 : 2)
			l[t * n_vocab + token_of(p[0])] = logf((float)(p[1] - '0') / 10);
	}
	return t;
}

typedef struct {
	const char *frames[FRAMES_MAX];
	const char *greedy, *beam, *flat;   /* the texts by hand: greedy, prior weight 0.5, prior weight 0 */
} hand_case_t;

static const hand_case_t cases[] = {
	/* "cst" is no word: cat or cut; the prior (cut 9 times as frequent) outweighs a's 0.3 against u's 0.2 */
	{ { "c9", "_9", "s5 a3 u2", "_9", "t9" }, "cst", "cut", "cat" },
	/* "vin iz": vi can only go on to vim; then is (s 0.3) rather than i or it */
	{ { "v9", "_9", "i9", "_9", "n5 m4", "_9", "|9", "_9", "i9", "_9", "z6 s3" }, "vin iz", "vim is", "vim is" },
	/* a repeated letter needs a blank between: all, and without the blank al */
	{ { "a9", "l9", "_9", "l9" }, "all", "all", "all" },
	{ { "a9", "l9", "l9" }, "al", "al", "al" },
	/* no leading space, no double space */
	{ { "|9", "i9", "t9", "|9", "_9", "|9", "i9", "s9" }, " it  is", "it is", "it is" },
	/* the last frame starts a word (c): "cat " (blank or space at that frame) is the best valid end */
	{ { "c9", "a9", "t9", "|9", "c9" }, "cat c", "cat", "cat" },
	/* blanks only */
	{ { "_9", "_9" }, "", "", "" },
};

static bool decode_is(model_t *f, const float *l, size_t n, nc_ai_asr_decode_t d, const char *want)
{
	char text[64];
	size_t len = 99;
	nc_ai_err_t e = nc_ai_asr_decode(f->m, l, n, d, &f->a, text, sizeof text, &len);
	if (e || len != strlen(want) || memcmp(text, want, len)) {
		printf("# decode %d: %s \"%.*s\", want \"%s\"\n", (int)d, nc_ai_err_name(e), (int)(len < 64 ? len : 0),
		       text, want);
		return false;
	}
	return true;
}

NC_TEST(ai_asr_decode, hand_made_logits)
{
	model_t lex, flat, plain;
	NC_CHECK(open_model(&lex, DIR "asr-lex.gguf"));
	NC_CHECK(open_model(&flat, DIR "asr-lex-flat.gguf"));
	NC_CHECK(open_model(&plain, DIR "asr-rand.gguf"));
	NC_CHECK(lex.h.n_lexicon == 12 && lex.h.beam_width == 8 && lex.h.prior_weight == 0.5f);
	NC_CHECK(plain.h.n_lexicon == 0 && plain.h.beam_width == 0);
	float l[FRAMES_MAX * 64];
	NC_CHECK(lex.h.n_vocab <= 64);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = make_logits(cases[i].frames, lex.h.n_vocab, l);
		NC_CHECK(decode_is(&lex, l, n, NC_AI_ASR_DECODE_GREEDY, cases[i].greedy));
		NC_CHECK(decode_is(&plain, l, n, NC_AI_ASR_DECODE_DEFAULT, cases[i].greedy));
		NC_CHECK(decode_is(&lex, l, n, NC_AI_ASR_DECODE_LEXICON, cases[i].beam));
		NC_CHECK(decode_is(&lex, l, n, NC_AI_ASR_DECODE_DEFAULT, cases[i].beam));
		NC_CHECK(decode_is(&flat, l, n, NC_AI_ASR_DECODE_DEFAULT, cases[i].flat));
	}
	NC_CHECK(decode_is(&lex, l, 0, NC_AI_ASR_DECODE_LEXICON, ""));
	/* one hypothesis: the beam ends inside a word, so the text is its complete words */
	model_t one;
	NC_CHECK(open_model(&one, DIR "asr-lex-beam1.gguf"));
	static const char *const inside[] = { "c9", "a9", "t9", "|9", "c9", "a9", NULL };
	NC_CHECK(decode_is(&one, l, make_logits(inside, one.h.n_vocab, l), NC_AI_ASR_DECODE_DEFAULT, "cat"));
	NC_CHECK(decode_is(&one, l, make_logits(inside + 4, one.h.n_vocab, l), NC_AI_ASR_DECODE_DEFAULT, ""));
	close_model(&one);
	NC_CHECK_EQ(lex.st.live_bytes > 0, true);
	close_model(&lex);
	close_model(&flat);
	close_model(&plain);
}

NC_TEST(ai_asr_decode, errors)
{
	model_t lex, plain;
	NC_CHECK(open_model(&lex, DIR "asr-lex.gguf"));
	NC_CHECK(open_model(&plain, DIR "asr-rand.gguf"));
	size_t live = lex.st.live_bytes;
	float *l = calloc((lex.h.n_ctx + 1) * lex.h.n_vocab, sizeof *l);
	char text[64];
	size_t len;
	size_t n = make_logits(cases[1].frames, lex.h.n_vocab, l);
	/* "vim is" into 3 bytes: BUFFER, the first 3 written, the full length */
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, l, n, NC_AI_ASR_DECODE_LEXICON, &lex.a, text, 3, &len), NC_AI_ERR_BUFFER);
	NC_CHECK(len == 6 && !memcmp(text, "vim", 3));
	NC_CHECK_EQ(nc_ai_asr_decode(plain.m, l, n, NC_AI_ASR_DECODE_LEXICON, &plain.a, text, sizeof text, &len),
		    NC_AI_ERR_UNSUPPORTED);
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, l, n, (nc_ai_asr_decode_t)7, &lex.a, text, sizeof text, &len),
		    NC_AI_ERR_ARG);
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, NULL, n, NC_AI_ASR_DECODE_LEXICON, &lex.a, text, sizeof text, &len),
		    NC_AI_ERR_ARG);
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, l, lex.h.n_ctx + 1, NC_AI_ASR_DECODE_LEXICON, &lex.a, text, sizeof text,
				     &len),
		    NC_AI_ERR_CONTEXT_FULL);
	/* the longest input decodes */
	static char big[8192];
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, l, lex.h.n_ctx, NC_AI_ASR_DECODE_LEXICON, &lex.a, big, sizeof big, &len),
		    NC_AI_OK);
	host_alloc_state_t st = { .fail_after = 0 };
	nc_ai_alloc_t a = host_alloc(&st);
	NC_CHECK_EQ(nc_ai_asr_decode(lex.m, l, n, NC_AI_ASR_DECODE_LEXICON, &a, text, sizeof text, &len),
		    NC_AI_ERR_NOMEM);
	NC_CHECK_EQ(st.live_bytes, 0);
	NC_CHECK_EQ(lex.st.live_bytes, live);
	free(l);
	close_model(&lex);
	close_model(&plain);
}

/* The text line of asr-rand.ref named key ("text": greedy, "beam"). */
static bool ref_text(const char *key, char *out, size_t cap, size_t *len)
{
	FILE *fp = fopen(DIR "asr-rand.ref", "r");
	char line[8192];
	bool ok = false;
	size_t k = strlen(key);
	while (fp && !ok && fgets(line, sizeof line, fp)) {
		char hex[4096];
		if (strncmp(line, key, k) || line[k] != ' ' || sscanf(line + k, "%zu %4095s", len, hex) != 2 ||
		    *len > cap || strlen(hex) != 2 * *len)
			continue;
		ok = true;
		for (size_t i = 0; ok && i < *len; i++) {
			unsigned v;
			ok = sscanf(hex + 2 * i, "%2x", &v) == 1;
			out[i] = (char)v;
		}
	}
	if (fp)
		fclose(fp);
	return ok;
}

NC_TEST(ai_asr_decode, lexicon_text_equals_python)
{
	model_t lex;
	NC_CHECK(open_model(&lex, DIR "asr-lex.gguf"));
	const void *wav;
	size_t wav_len, n, want_len, greedy_len;
	nc_ai_wav_t w;
	char text[4096], want[4096], greedy[4096];
	NC_CHECK(host_map_file(DIR "asr-rand.wav", &wav, &wav_len));
	NC_CHECK_EQ(nc_ai_wav_parse(wav, wav_len, &w), NC_AI_OK);
	NC_CHECK(ref_text("beam", want, sizeof want, &want_len) && ref_text("text", greedy, sizeof greedy, &greedy_len));
	NC_CHECK_EQ(nc_ai_asr_transcribe(lex.m, w.data, w.n_frames, &lex.a, NULL, NC_AI_SIMD_AUTO,
					 NC_AI_ASR_DECODE_DEFAULT, text, sizeof text, &n),
		    NC_AI_OK);
	printf("# lexicon beam: \"%.*s\" (greedy \"%.*s\")\n", (int)n, text, (int)greedy_len, greedy);
	NC_CHECK(n == want_len && !memcmp(text, want, n));
	NC_CHECK_EQ(nc_ai_asr_transcribe(lex.m, w.data, w.n_frames, &lex.a, NULL, NC_AI_SIMD_AUTO,
					 NC_AI_ASR_DECODE_GREEDY, text, sizeof text, &n),
		    NC_AI_OK);
	NC_CHECK(n == greedy_len && !memcmp(text, greedy, n));
	host_unmap_file(wav, wav_len);
	close_model(&lex);
}

NC_TEST(ai_asr_decode, malformed_lexicons_are_refused)
{
	static const char *const bad[] = { "empty", "oversized", "long",  "space",  "control", "twice",
					   "priors", "positive", "nan", "beam0",  "beam65", "weight",
					   "nobeam", "wordtype", "nospace" };
	host_alloc_state_t st = { .fail_after = -1 };
	nc_ai_alloc_t a = host_alloc(&st);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[128];
		const void *img;
		size_t len;
		nc_ai_asr_t *m;
		nc_gguf_err_t ge;
		snprintf(path, sizeof path, DIR "asr-lex-%s.gguf", bad[i]);
		NC_CHECK(host_map_file(path, &img, &len));
		nc_ai_err_t e = nc_ai_asr_open(img, len, &a, &m, &ge);
		if (e != NC_AI_ERR_TOKENIZER)
			printf("# %s: %s\n", bad[i], nc_ai_err_name(e));
		NC_CHECK_EQ(e, NC_AI_ERR_TOKENIZER);
		NC_CHECK_EQ(st.live_bytes, 0);
		host_unmap_file(img, len);
	}
}

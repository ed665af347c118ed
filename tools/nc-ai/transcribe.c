/* nc-ai transcribe -m MODEL [-t THREADS] [-d greedy|lexicon] FILE.wav...:
 * each file's text on a line of its own (tab-free), in order. -d picks the
 * CTC decoding (nc/ai_asr.h; default: the lexicon beam search when the model
 * has a lexicon, else greedy; lexicon on a model without one is an engine
 * error, UNSUPPORTED). The files must be 16-bit PCM WAV at the model's rate,
 * mono. Exit status 0, 1 for an engine or file error (the
 * file is named on stderr, the others still run), 2 for a usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai_asr.h>

#include "host_env.h"
#include "transcribe.h"

enum { TEXT_MAX = 1 << 16 };

static int one_file(const nc_ai_asr_t *m, const nc_ai_alloc_t *a, const nc_ai_pool_t *pool,
                    nc_ai_asr_decode_t decode, const char *path, char *text)
{
	const void *img;
	size_t len, n;
	if (!host_map_file(path, &img, &len)) {
		fprintf(stderr, "nc-ai: %s: %s\n", path, strerror(errno ? errno : EINVAL));
		return 1;
	}
	nc_ai_asr_info_t h;
	nc_ai_asr_get_info(m, &h);
	nc_ai_wav_t w;
	nc_ai_err_t e = nc_ai_wav_parse(img, len, &w);
	if (!e && (w.channels != 1 || w.bits != 16 || w.sample_rate != h.sample_rate))
		e = NC_AI_ERR_AUDIO;
	if (!e)
		e = nc_ai_asr_transcribe(m, w.data, w.n_frames, a, pool, NC_AI_SIMD_AUTO, decode, text, TEXT_MAX, &n);
	host_unmap_file(img, len);
	if (e) {
		fprintf(stderr, "nc-ai: %s: %s\n", path, nc_ai_err_name(e));
		return 1;
	}
	printf("%.*s\n", (int)n, text);
	return 0;
}

int nc_ai_cmd_transcribe(int argc, char **argv)
{
	const char *model = NULL;
	long threads = 1;
	nc_ai_asr_decode_t decode = NC_AI_ASR_DECODE_DEFAULT;
	int i = 0;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		char *end;
		if (!strcmp(argv[i], "-m"))
			model = argv[i + 1];
		else if (!strcmp(argv[i], "-t") && (threads = strtol(argv[i + 1], &end, 10)) >= 1 && threads <= 256 &&
			 !*end)
			continue;
		else if (!strcmp(argv[i], "-d") && !strcmp(argv[i + 1], "greedy"))
			decode = NC_AI_ASR_DECODE_GREEDY;
		else if (!strcmp(argv[i], "-d") && !strcmp(argv[i + 1], "lexicon"))
			decode = NC_AI_ASR_DECODE_LEXICON;
		else
			return 2;
	}
	if (!model || i >= argc)
		return 2;
	host_alloc_state_t st = { .fail_after = -1 };
	nc_ai_alloc_t a = host_alloc(&st);
	const void *img;
	size_t len;
	if (!host_map_file(model, &img, &len)) {
		fprintf(stderr, "nc-ai: %s: %s\n", model, strerror(errno ? errno : EINVAL));
		return 1;
	}
	nc_ai_asr_t *m;
	nc_gguf_err_t ge;
	nc_ai_err_t e = nc_ai_asr_open(img, len, &a, &m, &ge);
	if (e) {
		fprintf(stderr, "nc-ai: %s: %s (%s)\n", model, nc_ai_err_name(e), nc_gguf_err_name(ge));
		host_unmap_file(img, len);
		return 1;
	}
	host_pool_t *hp = NULL;
	nc_ai_pool_t pool;
	int rc = threads > 1 && !host_pool_create((size_t)threads, &hp, &pool) ? 1 : 0;
	char *text = malloc(TEXT_MAX);
	for (; !rc && text && i < argc; i++)
		rc |= one_file(m, &a, hp ? &pool : NULL, decode, argv[i], text);
	free(text);
	host_pool_destroy(hp);
	nc_ai_asr_close(m);
	host_unmap_file(img, len);
	return rc;
}

/* libFuzzer target: arbitrary bytes as text for the byte-level BPE tokenizer
 * (the pre-tokenizers, special-token matching, merging). The first byte picks
 * the vocabulary (gpt2 or llama3 pre-tokenizer, both with control tokens, from
 * make_tok_fuzz_input.py, read from build/fuzz/ai_tok_fuzz.d/ relative to the
 * current directory: `make fuzz` runs from the repository root) and the flags;
 * the rest is the text. Checked on every input (nc/ai.h): ids lie in the
 * vocabulary, decoding them gives the text back byte for byte (specials
 * included), and a too-small buffer reports NC_AI_ERR_BUFFER with the same
 * count. A crash, sanitizer report or broken promise (abort) is a finding. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>

#include "fuzz_alloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void promise(bool ok)
{
	if (!ok)
		abort();
}

static nc_ai_model_t *models[2];

static nc_ai_model_t *open_vocab(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "tok_fuzz: cannot open %s (make build/fuzz/ai_tok_fuzz builds it)\n", path);
		exit(1);
	}
	static uint8_t images[2][1 << 20];
	static size_t n_images;
	uint8_t *img = images[n_images++];
	size_t len = fread(img, 1, sizeof images[0], f);
	fclose(f);
	nc_ai_model_t *m;
	if (nc_ai_model_open_vocab(img, len, &ai_fuzz_alloc, &m, NULL) != NC_AI_OK) {
		fprintf(stderr, "tok_fuzz: %s does not open\n", path);
		exit(1);
	}
	return m;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	models[0] = open_vocab("build/fuzz/ai_tok_fuzz.d/vocab-gpt2.gguf");
	models[1] = open_vocab("build/fuzz/ai_tok_fuzz.d/vocab-llama3.gguf");
	return 0;
}

enum { MAX_TEXT = 4096, MAX_IDS = MAX_TEXT + 1 }; /* at most one id per byte, plus BOS */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int32_t ids[MAX_IDS];
	static char back[MAX_TEXT + 64];
	if (size < 1 || size - 1 > MAX_TEXT)
		return 0;
	const nc_ai_model_t *m = models[data[0] & 1];
	unsigned flags = (data[0] & 2 ? NC_AI_TOK_SPECIAL : 0) | (data[0] & 4 ? NC_AI_TOK_ADD_BOS : 0);
	const char *text = (const char *)data + 1;
	size_t len = size - 1, n, n_small;
	promise(nc_ai_tokenize(m, text, len, flags, ids, MAX_IDS, &n) == NC_AI_OK);
	promise(n <= len + 1);
	nc_ai_model_info_t info;
	nc_ai_model_get_info(m, &info);
	for (size_t i = 0; i < n; i++)
		promise(ids[i] >= 0 && (uint32_t)ids[i] < info.n_vocab);
	size_t skip = (flags & NC_AI_TOK_ADD_BOS) ? 1 : 0; /* BOS is a control token: not text */
	promise(n >= skip);
	size_t back_len;
	promise(nc_ai_detokenize(m, ids + skip, n - skip, true, back, sizeof back, &back_len) == NC_AI_OK);
	promise(back_len == len && memcmp(back, text, len) == 0);
	if (n > 0) {
		promise(nc_ai_tokenize(m, text, len, flags, ids, n - 1, &n_small) == NC_AI_ERR_BUFFER);
		promise(n_small == n);
	}
	return 0;
}

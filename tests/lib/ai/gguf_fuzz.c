/* libFuzzer target: arbitrary bytes as a GGUF model image. Opens it as a
 * model and as a vocabulary; when it opens, tokenizes a fixed text and runs
 * tokens through a small context. Any crash, sanitizer report or leak
 * is a bug: bad input must end in a typed error. Seeds: tools/models/
 * make_fuzz_seed.py. Five tokens go through an 8-position context so the
 * batched (multi-vector) kernels run too. */
#include <stdlib.h>

#include <nc/ai.h>

#include "fuzz_alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nc_ai_model_t *m;
	int32_t ids[64];
	size_t n;
	if (nc_ai_model_open_vocab(data, size, &ai_fuzz_alloc, &m, NULL) == NC_AI_OK) {
		nc_ai_tokenize(m, "ab c <s>d\xff", 10, NC_AI_TOK_SPECIAL | NC_AI_TOK_ADD_BOS, ids, 64, &n);
		nc_ai_model_close(m);
	}
	if (nc_ai_model_open(data, size, &ai_fuzz_alloc, &m, NULL) != NC_AI_OK)
		return 0;
	nc_ai_ctx_t *c;
	nc_ai_ctx_params_t p = {8, NC_AI_SIMD_AUTO, NULL};
	if (nc_ai_ctx_create(m, &p, &ai_fuzz_alloc, &c) == NC_AI_OK) {
		if (nc_ai_tokenize(m, "abc xyz q", 9, 0, ids, 64, &n) == NC_AI_OK && n > 0)
			nc_ai_eval(c, ids, n < 5 ? n : 5, NULL);
		nc_ai_ctx_destroy(c);
	}
	nc_ai_model_close(m);
	return 0;
}

/* Pre-tokenizer names (tokenizer.ggml.pre) as llama.cpp's llama-vocab.cpp
 * maps them, on a hand-built vocabulary whose expected tokens are worked out
 * by hand: tokens a b c 1 2 3 ab abc 12 123, merges "a b" and "1 2" only, so
 * "abc" and "123" are whole tokens no merge reaches.
 *   gpt-2 pattern (one piece each): abc -> ab c, 123 -> 12 3;
 *   llama3 family (\p{N}{1,3}, whole tokens first): abc -> abc, 123 -> 123;
 *   qwen2 (\p{N} alone, merges only): abc -> ab c, 123 -> 1 2 3;
 *   dbrx (llama3's pattern, merges only): abc -> ab c, 123 -> 12 3.
 * Names whose pattern we lack ("default", falcon, ...) and a missing key give
 * NC_AI_ERR_PRETOKENIZER. */
#include <stdlib.h>
#include <string.h>

#include <nc/ai.h>
#include <nc_test.h>

#include "../../../tools/nc-ai/host_env.h"
#include "gguf_img_host.h"

enum { A, B, C, D1, D2, D3, AB, ABC, D12, D123, N_TOKENS };
static const char *const tokens[N_TOKENS] = {"a", "b", "c", "1", "2", "3", "ab", "abc", "12", "123"};

/* A vocabulary-only GGUF with pre = NULL: no tokenizer.ggml.pre key. */
static img_t vocab_file(const char *pre)
{
	img_t m = {0};
	img_put_bytes(&m, "GGUF", 4);
	img_put(&m, 3, 4);
	img_put(&m, 0, 8);
	img_put(&m, pre ? 4 : 3, 8);
	img_put_kv_str(&m, "tokenizer.ggml.model", "gpt2");
	if (pre)
		img_put_kv_str(&m, "tokenizer.ggml.pre", pre);
	img_put_str(&m, "tokenizer.ggml.tokens");
	img_put(&m, NC_GGUF_TYPE_ARRAY, 4);
	img_put(&m, NC_GGUF_TYPE_STRING, 4);
	img_put(&m, N_TOKENS, 8);
	for (int i = 0; i < N_TOKENS; i++)
		img_put_str(&m, tokens[i]);
	img_put_str(&m, "tokenizer.ggml.merges");
	img_put(&m, NC_GGUF_TYPE_ARRAY, 4);
	img_put(&m, NC_GGUF_TYPE_STRING, 4);
	img_put(&m, 2, 8);
	img_put_str(&m, "a b");
	img_put_str(&m, "1 2");
	return m;
}

/* Tokenize text with pre; true when the ids equal want[0..n_want). */
static bool tokenizes_as(const char *pre, const char *text, const int32_t *want, size_t n_want)
{
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	img_t img = vocab_file(pre);
	nc_ai_model_t *m;
	int32_t ids[16];
	size_t n = 0;
	bool ok = nc_ai_model_open_vocab(img.b, img.n, &a, &m, NULL) == NC_AI_OK;
	if (ok) {
		ok = nc_ai_tokenize(m, text, strlen(text), 0, ids, 16, &n) == NC_AI_OK && n == n_want &&
		     memcmp(ids, want, n * sizeof *ids) == 0;
		nc_ai_model_close(m);
	}
	free(img.b);
	if (!ok)
		nc_test_note("pre \"%s\", text \"%s\": %zu tokens, first %d", pre, text, n, n ? ids[0] : -1);
	return ok && st.live_bytes == 0;
}

static nc_ai_err_t open_with(const char *pre)
{
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	img_t img = vocab_file(pre);
	nc_ai_model_t *m = NULL;
	nc_ai_err_t e = nc_ai_model_open_vocab(img.b, img.n, &a, &m, NULL);
	nc_ai_model_close(m);
	free(img.b);
	return st.live_bytes == 0 ? e : NC_AI_ERR_NOMEM;
}

NC_TEST(ai_vocab, gpt2_pattern_names)
{
	static const char *const names[] = {"gpt-2", "gpt2", "phi-2", "olmo", "mpt", "jais", "exaone4"};
	static const int32_t abc[] = {AB, C}, n123[] = {D12, D3}, mixed[] = {AB, C, D12, D3};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		NC_CHECK(tokenizes_as(names[i], "abc", abc, 2));
		NC_CHECK(tokenizes_as(names[i], "123", n123, 2));
		NC_CHECK(tokenizes_as(names[i], "abc123", mixed, 4));
	}
}

NC_TEST(ai_vocab, llama3_names_take_whole_tokens)
{
	static const char *const names[] = {"llama-bpe", "llama3", "llama-v3", "falcon3", "pixtral"};
	static const int32_t abc[] = {ABC}, n123[] = {D123}, abcab[] = {AB, C, AB}, n1231[] = {D123, D1};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		NC_CHECK(tokenizes_as(names[i], "abc", abc, 1));
		NC_CHECK(tokenizes_as(names[i], "123", n123, 1));
		NC_CHECK(tokenizes_as(names[i], "abcab", abcab, 3));  /* not a token: merges */
		NC_CHECK(tokenizes_as(names[i], "1231", n1231, 2));   /* digits in threes */
	}
}

NC_TEST(ai_vocab, qwen2_and_dbrx)
{
	static const int32_t abc[] = {AB, C}, digits[] = {D1, D2, D3}, n123[] = {D12, D3};
	static const char *const qwen[] = {"qwen2", "deepseek-r1-qwen", "stablelm2", "megrez"};
	for (size_t i = 0; i < sizeof qwen / sizeof qwen[0]; i++) {
		NC_CHECK(tokenizes_as(qwen[i], "abc", abc, 2));
		NC_CHECK(tokenizes_as(qwen[i], "123", digits, 3));
	}
	NC_CHECK(tokenizes_as("dbrx", "abc", abc, 2));
	NC_CHECK(tokenizes_as("dbrx", "123", n123, 2));
	NC_CHECK(tokenizes_as("smaug-bpe", "123", n123, 2));
}

NC_TEST(ai_vocab, other_names_and_missing_key_are_refused)
{
	static const char *const refused[] = {"default", "falcon", "starcoder", "deepseek-llm", "gpt-4o",
	                                      "jina-v1-en", "roberta-bpe", "chatglm-bpe", "GPT-2", "gpt-2 ", ""};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		NC_CHECK_EQ(open_with(refused[i]), NC_AI_ERR_PRETOKENIZER);
	NC_CHECK_EQ(open_with(NULL), NC_AI_ERR_PRETOKENIZER);
	NC_CHECK_EQ(open_with("gpt-2"), NC_AI_OK);
	NC_CHECK_STR(nc_ai_err_name(NC_AI_ERR_PRETOKENIZER), "unsupported pre-tokenizer");
}

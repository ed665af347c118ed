#define _GNU_SOURCE
/* Work bounds on names chosen by a hostile file: GGUF duplicate-name checks and
 * lookups stay O(n log n) / O(log n) name comparisons (counted: this binary is
 * linked with --wrap=nc_mem_compare), and loading a vocabulary of 2^18 special
 * tokens finishes within a watchdog far above its real cost (an O(n^2) sort of
 * them would take hours). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nc/ai.h>
#include <nc/gguf.h>
#include <nc_test.h>

#include "../../../tools/nc-ai/host_env.h"
#include "gguf_img_host.h"

static unsigned long n_compares;
int __real_nc_mem_compare(const void *a, const void *b, size_t n);
int __wrap_nc_mem_compare(const void *a, const void *b, size_t n);
int __wrap_nc_mem_compare(const void *a, const void *b, size_t n)
{
	n_compares++;
	return __real_nc_mem_compare(a, b, n);
}

enum { N_NAMES = 4096, LOG2_N = 12 };
/* Names of one length with a long shared prefix, so every pair is compared in full. */
static void name(char *out, const char *kind, unsigned i)
{
	snprintf(out, 64, "%s.a.long.shared.prefix.of.forty.bytes.%05u", kind, i);
}

/* N_NAMES u32 keys and N_NAMES one-element F32 tensors; with dup, key 4000 repeats key 7. */
static img_t names_file(bool dup)
{
	img_t m = {0};
	char k[64];
	img_put_bytes(&m, "GGUF", 4);
	img_put(&m, 3, 4);
	img_put(&m, N_NAMES, 8);
	img_put(&m, N_NAMES, 8);
	for (unsigned i = 0; i < N_NAMES; i++) {
		name(k, "key", dup && i == 4000 ? 7 : i);
		img_put_str(&m, k);
		img_put(&m, NC_GGUF_TYPE_UINT32, 4);
		img_put(&m, i, 4);
	}
	for (unsigned i = 0; i < N_NAMES; i++) {
		name(k, "tensor", i);
		img_put_str(&m, k);
		img_put(&m, 1, 4);
		img_put(&m, 1, 8);
		img_put(&m, NC_GGML_F32, 4);
		img_put(&m, (uint64_t)i * NC_GGUF_DEFAULT_ALIGN, 8);
	}
	while (m.n % NC_GGUF_DEFAULT_ALIGN)
		img_put(&m, 0, 1);
	for (unsigned i = 0; i < N_NAMES * NC_GGUF_DEFAULT_ALIGN; i++)
		img_put(&m, 0, 1);
	return m;
}

/* Heapsort of both indexes, the neighbour checks and one lookup. */
#define OPEN_BOUND (2ul * (2 * N_NAMES * LOG2_N + 2 * N_NAMES) + 2 * N_NAMES + LOG2_N + 1)

NC_TEST(gguf_cost, duplicate_checks_and_lookups_are_n_log_n)
{
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_gguf_file_t f;
	img_t m = names_file(false);
	n_compares = 0;
	NC_CHECK_EQ(nc_gguf_open(m.b, m.n, &a, &f), NC_GGUF_OK);
	nc_test_note("gguf_cost: open of %u keys and %u tensors: %lu name comparisons (bound %lu)",
		     N_NAMES, N_NAMES, n_compares, OPEN_BOUND);
	NC_CHECK(n_compares <= OPEN_BOUND);
	n_compares = 0;
	char k[64];
	for (unsigned i = 0; i < N_NAMES; i++) {
		name(k, "key", i);
		const nc_gguf_kv_t *kv = nc_gguf_find_kv(&f, k);
		NC_CHECK(kv && nc_gguf_value_i64(kv->type, kv->value) == i);
		name(k, "tensor", i);
		const nc_gguf_tensor_t *t = nc_gguf_find_tensor(&f, k);
		NC_CHECK(t && t->offset == (uint64_t)i * NC_GGUF_DEFAULT_ALIGN);
	}
	NC_CHECK(nc_gguf_find_kv(&f, "key") == NULL && nc_gguf_find_tensor(&f, "tensor.z") == NULL);
	nc_test_note("gguf_cost: %u lookups: %lu name comparisons", 2 * N_NAMES, n_compares);
	NC_CHECK(n_compares <= 2ul * N_NAMES * (LOG2_N + 1) + 2 * (LOG2_N + 1));
	nc_gguf_close(&f);
	free(m.b);
	m = names_file(true);
	n_compares = 0;
	NC_CHECK_EQ(nc_gguf_open(m.b, m.n, &a, &f), NC_GGUF_ERR_DUPLICATE);
	NC_CHECK(n_compares <= OPEN_BOUND);
	free(m.b);
	NC_CHECK_EQ(st.live_bytes, 0);
}

/* A vocabulary-only model whose tokens are all control tokens: the first half
 * "<a>", the second half "<bb>" (ascending lengths: the worst input for the
 * insertion sort this replaced, (N/2)^2 moves). */
enum { N_SPECIALS = 1 << 18, WATCHDOG_S = 60 };

static img_t specials_file(void)
{
	img_t m = {0};
	img_put_bytes(&m, "GGUF", 4);
	img_put(&m, 3, 4);
	img_put(&m, 0, 8);
	img_put(&m, 4, 8);
	img_put_kv_str(&m, "tokenizer.ggml.model", "gpt2");
	img_put_kv_str(&m, "tokenizer.ggml.pre", "gpt-2");
	img_put_str(&m, "tokenizer.ggml.tokens");
	img_put(&m, NC_GGUF_TYPE_ARRAY, 4);
	img_put(&m, NC_GGUF_TYPE_STRING, 4);
	img_put(&m, N_SPECIALS, 8);
	for (unsigned i = 0; i < N_SPECIALS; i++)
		img_put_str(&m, i < N_SPECIALS / 2 ? "<a>" : "<bb>");
	img_put_str(&m, "tokenizer.ggml.token_type");
	img_put(&m, NC_GGUF_TYPE_ARRAY, 4);
	img_put(&m, NC_GGUF_TYPE_INT32, 4);
	img_put(&m, N_SPECIALS, 8);
	for (unsigned i = 0; i < N_SPECIALS; i++)
		img_put(&m, 3, 4); /* control */
	return m;
}

/* In a child under alarm(): open, check the longest-first and first-id rules. */
static int load_specials(const img_t *m)
{
	alarm(WATCHDOG_S);
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *model;
	if (nc_ai_model_open_vocab(m->b, m->n, &a, &model, NULL) != NC_AI_OK)
		return 2;
	int32_t ids[4];
	size_t n;
	nc_ai_err_t e = nc_ai_tokenize(model, "<bb><a>", 7, NC_AI_TOK_SPECIAL, ids, 4, &n);
	nc_ai_model_close(model);
	return e == NC_AI_OK && n == 2 && ids[0] == N_SPECIALS / 2 && ids[1] == 0 ? 0 : 3;
}

NC_TEST(tokenizer_cost, many_specials_load_in_n_log_n)
{
	img_t m = specials_file();
	pid_t pid = fork();
	if (pid == 0)
		_exit(load_specials(&m));
	int status = 0;
	NC_CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	free(m.b);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		nc_test_note("tokenizer_cost: loading %u specials took over %d s", N_SPECIALS, WATCHDOG_S);
	NC_CHECK(WIFEXITED(status));
	NC_CHECK_EQ(WEXITSTATUS(status), 0);
}

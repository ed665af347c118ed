/* nc-ai: the AI engine (lib/ai) on the host command line.
 *
 *   nc-ai info MODEL                      metadata, tensors, hyper-parameters
 *   nc-ai run -m MODEL -p PROMPT [-n N] [--temp T] [--seed S] [--top-k K]
 *             [--top-p P] [--repeat-penalty R] [--stop STR]... [-t THREADS]
 *             [--ctx N]                   generate, streaming tokens to stdout
 *                                         (--ctx default: the model's context, at most 2048)
 *   nc-ai embed -m MODEL -p TEXT          L2-normalised mean embedding, one line
 *   nc-ai classify -m MODEL -p TEXT --labels a,b,c   best label, then scores
 *   nc-ai tokenize -m MODEL (-p TEXT | -f FILE) [--bos] [--special]   token ids,
 *             one a line (the model may be a tokenizer-only GGUF)
 *   nc-ai bench -m MODEL [-p N,..] [-n N,..] [-t T,..] [-r R] [--simd NAME]
 *             speed as llama-bench measures it (bench.c)
 *   nc-ai transcribe -m MODEL [-t THREADS] [-d greedy|lexicon] FILE.wav...
 *             speech to text (an ncasr model), one line per file (transcribe.c)
 *
 * -f FILE reads the text from a file instead of -p. Exit status: 0 success,
 * 1 engine error (message on stderr), 2 usage error. Statistics of `run` go to
 * stderr so stdout carries only the generated text. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nc/ai.h>

#include "cli.h"
#include "host_env.h"
#include "transcribe.h"

#define MAX_STOPS 8
#define MAX_LABELS 64
#define DEFAULT_CTX 2048u  /* positions when --ctx is not given (or the model's, if fewer) */

typedef struct {
	const char *model, *prompt, *file, *labels;
	long threads, n_ctx;
	nc_ai_gen_params_t gen;    /* lib/ai's defaults, changed by the options */
	const char *stops[MAX_STOPS];
	size_t n_stops;
	bool bos, special;
} opts_t;

static int usage(void)
{
	fputs("usage: nc-ai info MODEL\n"
	      "       nc-ai run -m MODEL -p PROMPT [-n N] [--temp T] [--seed S] [--top-k K] [--top-p P]\n"
	      "                 [--repeat-penalty R] [--stop STR] [-t THREADS] [--ctx N]\n"
	      "       nc-ai embed -m MODEL (-p TEXT | -f FILE)\n"
	      "       nc-ai classify -m MODEL (-p TEXT | -f FILE) --labels a,b,c\n"
	      "       nc-ai tokenize -m MODEL (-p TEXT | -f FILE) [--bos] [--special]\n"
	      "       nc-ai bench -m MODEL [-p N,..] [-n N,..] [-t T,..] [-r R] [--simd auto|portable|avx2|avx512]\n"
	      "       nc-ai transcribe -m MODEL [-t THREADS] [-d greedy|lexicon] FILE.wav...\n",
	      stderr);
	return 2;
}

static bool parse_num(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return s[0] && !*end && !errno;
}

static bool parse_int(const char *s, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(s, &end, 10);
	return s[0] && !*end && !errno;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	long v;
	if (!parse_int(s, &v) || v < 0 || (unsigned long)v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A seed: any integer, its two's complement bits as the 64-bit seed. */
static bool parse_seed(const char *s, uint64_t *out)
{
	long v;
	if (!parse_int(s, &v))
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool parse_float(const char *s, float *out)
{
	double v;
	if (!parse_num(s, &v))
		return false;
	*out = (float)v;
	return true;
}

static bool parse_opts(int argc, char **argv, opts_t *o)
{
	memset(o, 0, sizeof *o);
	nc_ai_gen_params_default(&o->gen);
	o->threads = 1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;
		if (!strcmp(a, "--bos")) { o->bos = true; continue; }
		if (!strcmp(a, "--special")) { o->special = true; continue; }
		if (!v)
			return false;
		if (!strcmp(a, "-m")) o->model = v;
		else if (!strcmp(a, "-p")) o->prompt = v;
		else if (!strcmp(a, "-f")) o->file = v;
		else if (!strcmp(a, "--labels")) o->labels = v;
		else if (!strcmp(a, "-n")) ok = parse_u32(v, &o->gen.max_tokens);
		else if (!strcmp(a, "--seed")) ok = parse_seed(v, &o->gen.seed);
		else if (!strcmp(a, "--top-k")) ok = parse_u32(v, &o->gen.top_k);
		else if (!strcmp(a, "-t")) ok = parse_int(v, &o->threads) && o->threads >= 1 && o->threads <= 256;
		else if (!strcmp(a, "--ctx")) ok = parse_int(v, &o->n_ctx) && o->n_ctx >= 0;
		else if (!strcmp(a, "--temp")) ok = parse_float(v, &o->gen.temperature);
		else if (!strcmp(a, "--top-p")) ok = parse_float(v, &o->gen.top_p);
		else if (!strcmp(a, "--repeat-penalty")) ok = parse_float(v, &o->gen.repeat_penalty);
		else if (!strcmp(a, "--stop") && o->n_stops < MAX_STOPS) o->stops[o->n_stops++] = v;
		else return false;
		if (!ok)
			return false;
		i++;
	}
	return o->model != NULL;
}

/* The text of -p or -f (malloc'd copy for -f). */
static char *read_text(const opts_t *o, size_t *len)
{
	if (o->prompt && !o->file) {
		*len = strlen(o->prompt);
		return strdup(o->prompt);
	}
	if (!o->file || o->prompt)
		return NULL;
	FILE *f = fopen(o->file, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

typedef struct {
	const void *image;
	size_t image_len;
	host_alloc_state_t st;
	nc_ai_alloc_t alloc;
	nc_ai_model_t *m;
	host_pool_t *hp;
	nc_ai_pool_t pool;
	nc_ai_ctx_t *c;
} session_t;

static int fail(const char *what, nc_ai_err_t e)
{
	fprintf(stderr, "nc-ai: %s: %s\n", what, nc_ai_err_name(e));
	return 1;
}

static int open_model(session_t *s, const char *path, bool vocab_only)
{
	nc_gguf_err_t ge;
	memset(s, 0, sizeof *s);
	s->st.fail_after = -1;
	s->alloc = host_alloc(&s->st);
	if (!host_map_file(path, &s->image, &s->image_len)) {
		fprintf(stderr, "nc-ai: %s: %s\n", path, strerror(errno ? errno : EINVAL));
		return 1;
	}
	nc_ai_err_t e = vocab_only ? nc_ai_model_open_vocab(s->image, s->image_len, &s->alloc, &s->m, &ge)
	                           : nc_ai_model_open(s->image, s->image_len, &s->alloc, &s->m, &ge);
	return e ? nc_ai_cli_open_failed(path, s->image, s->image_len, e, ge) : 0;
}

static int open_ctx(session_t *s, const opts_t *o)
{
	if (o->threads > 1 && !host_pool_create((size_t)o->threads, &s->hp, &s->pool)) {
		fputs("nc-ai: cannot start threads\n", stderr);
		return 1;
	}
	nc_ai_model_info_t h;
	nc_ai_model_get_info(s->m, &h);
	uint32_t n_ctx = o->n_ctx ? (uint32_t)o->n_ctx : h.n_ctx_train < DEFAULT_CTX ? h.n_ctx_train : DEFAULT_CTX;
	nc_ai_ctx_params_t p = {n_ctx, NC_AI_SIMD_AUTO, s->hp ? &s->pool : NULL};
	nc_ai_err_t e = nc_ai_ctx_create(s->m, &p, &s->alloc, &s->c);
	return e ? fail("context", e) : 0;
}

static void close_session(session_t *s)
{
	nc_ai_ctx_destroy(s->c);
	host_pool_destroy(s->hp);
	nc_ai_model_close(s->m);
	if (s->image)
		host_unmap_file(s->image, s->image_len);
}

static void print_value(nc_gguf_type_t t, const uint8_t *p)
{
	if (t == NC_GGUF_TYPE_STRING) {
		nc_gguf_str_t s = nc_gguf_next_str(&p);
		printf("\"%.*s\"", (int)(s.len_bytes > 60 ? 60 : s.len_bytes), s.ptr);
	} else if (t == NC_GGUF_TYPE_FLOAT32 || t == NC_GGUF_TYPE_FLOAT64) {
		printf("%g", nc_gguf_value_f64(t, p));
	} else if (t == NC_GGUF_TYPE_BOOL) {
		printf("%s", p[0] ? "true" : "false");
	} else if (t == NC_GGUF_TYPE_UINT64) {
		printf("%" PRIu64, (uint64_t)nc_gguf_value_i64(t, p));
	} else {
		printf("%" PRId64, nc_gguf_value_i64(t, p));
	}
}

static int cmd_info(const char *path)
{
	session_t s;
	int rc = open_model(&s, path, false);
	if (rc) {
		close_session(&s);
		return rc;
	}
	const nc_gguf_file_t *f = nc_ai_model_gguf(s.m);
	nc_ai_model_info_t h;
	nc_ai_model_get_info(s.m, &h);
	printf("gguf version %u, %" PRIu64 " metadata keys, %" PRIu64 " tensors, alignment %" PRIu64 "\n",
	       f->version, f->n_kv, f->n_tensors, f->alignment);
	for (uint64_t i = 0; i < f->n_kv; i++) {
		const nc_gguf_kv_t *kv = &f->kv[i];
		printf("  %.*s = ", (int)kv->key.len_bytes, kv->key.ptr);
		if (kv->type == NC_GGUF_TYPE_ARRAY) {
			printf("[%" PRIu64 " x %s]", kv->n_elems, nc_gguf_value_type_name(kv->elem_type));
			const uint8_t *p = kv->value;
			for (uint64_t k = 0; k < kv->n_elems && k < 3; k++) {
				printf(k ? ", " : " ");
				print_value(kv->elem_type, p);
				if (kv->elem_type == NC_GGUF_TYPE_STRING)
					nc_gguf_next_str(&p);
				else
					p += nc_gguf_scalar_bytes(kv->elem_type);
			}
			if (kv->n_elems > 3)
				printf(", ...");
		} else {
			print_value(kv->type, kv->value);
		}
		printf("\n");
	}
	for (uint64_t i = 0; i < f->n_tensors; i++) {
		const nc_gguf_tensor_t *t = &f->tensors[i];
		printf("  tensor %-28.*s %-5s [", (int)t->name.len_bytes, t->name.ptr, nc_gguf_type_name(t->type));
		for (uint32_t d = 0; d < t->n_dims; d++)
			printf(d ? ", %" PRIu64 : "%" PRIu64, t->ne[d]);
		printf("] offset %" PRIu64 "\n", t->offset);
	}
	printf("model: llama, %u layers, n_embd %u, %u heads (%u kv, head_dim %u), n_ff %u, vocab %u, "
	       "context %u\n", h.n_layer, h.n_embd, h.n_head, h.n_head_kv, h.head_dim, h.n_ff, h.n_vocab,
	       h.n_ctx_train);
	if (h.n_expert)
		printf("experts: %u, used per token: %u\n", h.n_expert, h.n_expert_used);
	printf("parameters: %" PRIu64 ", weights read per token: %" PRIu64 " bytes\n", h.n_params,
	       h.weight_bytes);
	close_session(&s);
	return 0;
}

static int tokenize_text(session_t *s, const char *text, size_t len, unsigned flags, int32_t **ids,
                         size_t *n)
{
	size_t cap = len + 2;
	*ids = malloc(cap * sizeof **ids);
	if (!*ids)
		return fail("tokenize", NC_AI_ERR_NOMEM);
	nc_ai_err_t e = nc_ai_tokenize(s->m, text, len, flags, *ids, cap, n);
	return e ? fail("tokenize", e) : 0;
}

static volatile int g_cancel;

static void on_sigint(int sig)
{
	(void)sig;
	g_cancel = 1;
}

static bool stream_token(void *ctx, int32_t id, const uint8_t *bytes, size_t len)
{
	(void)ctx;
	(void)id;
	fwrite(bytes, 1, len, stdout);
	fflush(stdout);
	return true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *stop_name(nc_ai_stop_t w)
{
	switch (w) {
	case NC_AI_STOP_TOKEN: return "stop token";
	case NC_AI_STOP_STRING: return "stop string";
	case NC_AI_STOP_CONTEXT: return "context full";
	default: return "length";
	}
}

static int cmd_run(session_t *s, const opts_t *o, const char *text, size_t len)
{
	int32_t *ids = NULL, *out = NULL;
	size_t n = 0, n_out = 0;
	nc_ai_model_info_t h;
	nc_ai_model_get_info(s->m, &h);
	int rc = tokenize_text(s, text, len, o->bos || h.add_bos ? NC_AI_TOK_ADD_BOS : 0, &ids, &n);
	out = malloc(((size_t)o->gen.max_tokens + 1) * sizeof *out);
	if (!rc && !out)
		rc = fail("run", NC_AI_ERR_NOMEM);
	if (!rc) {
		nc_ai_gen_params_t p = o->gen;
		p.stop_strings = o->stops;
		p.n_stop_strings = o->n_stops;
		p.on_token = stream_token;
		p.cancel = &g_cancel;
		nc_ai_stop_t why;
		signal(SIGINT, on_sigint);
		double t0 = now_s();
		nc_ai_err_t e = nc_ai_generate(s->c, &p, ids, n, out, (size_t)p.max_tokens + 1, &n_out, &why);
		double dt = now_s() - t0;
		printf("\n");
		fflush(stdout);  /* the text, then the statistics on stderr */
		if (e)
			rc = fail("generate", e);
		else
			fprintf(stderr, "nc-ai: %zu prompt tokens, %zu generated (%s), %.2f s, %s kernels\n", n,
			        n_out, stop_name(why), dt, nc_ai_ctx_simd_name(s->c));
	}
	free(ids);
	free(out);
	return rc;
}

static int cmd_embed(session_t *s, const char *text, size_t len)
{
	int32_t *ids;
	size_t n;
	int rc = tokenize_text(s, text, len, 0, &ids, &n);
	nc_ai_model_info_t h;
	nc_ai_model_get_info(s->m, &h);
	double *v = malloc(h.n_embd * sizeof *v);
	if (!rc && !v)
		rc = fail("embed", NC_AI_ERR_NOMEM);
	if (!rc) {
		nc_ai_err_t e = nc_ai_embed(s->c, ids, n, v, h.n_embd);
		if (e)
			rc = fail("embed", e);
		for (uint32_t i = 0; !rc && i < h.n_embd; i++)
			printf(i ? " %.17g" : "%.17g", v[i]);
		if (!rc)
			printf("\n");
	}
	free(v);
	free(ids);
	return rc;
}

static int cmd_classify(session_t *s, const opts_t *o, const char *text, size_t len)
{
	char *copy = strdup(o->labels);
	const char *labels[MAX_LABELS];
	size_t n = 0;
	for (char *tok = strtok(copy, ","); tok && n < MAX_LABELS; tok = strtok(NULL, ","))
		labels[n++] = tok;
	double scores[MAX_LABELS];
	size_t best;
	nc_ai_err_t e = n ? nc_ai_classify(s->c, text, len, labels, n, scores, &best) : NC_AI_ERR_ARG;
	if (!e) {
		printf("%s\n", labels[best]);
		for (size_t i = 0; i < n; i++)
			printf("%s %.6f\n", labels[i], scores[i]);
	}
	free(copy);
	return e ? fail("classify", e) : 0;
}

static int cmd_tokenize(session_t *s, const opts_t *o, const char *text, size_t len)
{
	int32_t *ids;
	size_t n;
	unsigned flags = (o->bos ? NC_AI_TOK_ADD_BOS : 0) | (o->special ? NC_AI_TOK_SPECIAL : 0);
	int rc = tokenize_text(s, text, len, flags, &ids, &n);
	for (size_t i = 0; !rc && i < n; i++)
		printf("%" PRId32 "\n", ids[i]);
	free(ids);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	const char *cmd = argv[1];
	if (!strcmp(cmd, "info"))
		return argc == 3 ? cmd_info(argv[2]) : usage();
	if (!strcmp(cmd, "bench")) {
		int rc = nc_ai_cmd_bench(argc - 2, argv + 2);
		return rc == 2 ? usage() : rc;
	}
	if (!strcmp(cmd, "transcribe")) {
		int rc = nc_ai_cmd_transcribe(argc - 2, argv + 2);
		return rc == 2 ? usage() : rc;
	}
	opts_t o;
	if (!parse_opts(argc - 2, argv + 2, &o))
		return usage();
	bool known = !strcmp(cmd, "run") || !strcmp(cmd, "embed") || !strcmp(cmd, "classify") ||
	             !strcmp(cmd, "tokenize");
	if (!known || (!strcmp(cmd, "classify") && !o.labels))
		return usage();
	size_t len;
	char *text = read_text(&o, &len);
	if (!text) {
		fprintf(stderr, "nc-ai: need exactly one of -p TEXT or -f FILE (readable)\n");
		return 2;
	}
	session_t s;
	bool tokenize = !strcmp(cmd, "tokenize");
	int rc = open_model(&s, o.model, tokenize);
	if (!rc && !tokenize)
		rc = open_ctx(&s, &o);
	if (!rc) {
		if (!strcmp(cmd, "run"))
			rc = cmd_run(&s, &o, text, len);
		else if (!strcmp(cmd, "embed"))
			rc = cmd_embed(&s, text, len);
		else if (!strcmp(cmd, "classify"))
			rc = cmd_classify(&s, &o, text, len);
		else
			rc = cmd_tokenize(&s, &o, text, len);
	}
	close_session(&s);
	free(text);
	return rc;
}

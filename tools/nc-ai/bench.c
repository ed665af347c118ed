/* nc-ai bench: prompt processing and generation speed of any GGUF model,
 * measured and printed the way llama.cpp's llama-bench does, so the two
 * can be compared with one command each:
 *
 *   nc-ai bench -m MODEL [-p N[,N..]] [-n N[,N..]] [-t T[,T..]] [-r R] [--simd NAME]
 *
 * For every thread count T: a test ppN evaluates N prompt tokens in one call
 * from an empty context, a test tgN generates N tokens one call each from an
 * empty context (tokens drawn at random from the vocabulary, as llama-bench
 * does). Each test runs once to warm up (page faults of the mapped file,
 * caches), then R times; the table gives tokens per second as the mean and
 * the sample standard deviation over the R runs. Loading the model and
 * creating the context are not timed. Defaults are llama-bench's: -p 512
 * -n 128 -r 5, and -t the number of online CPUs. 0 in -p or -n skips that
 * kind of test. Exit status 0, 1 for an engine error, 2 for a usage error. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nc/ai.h>

#include "cli.h"
#include "host_env.h"

#define LIST_MAX 16
#define TOKENS_MAX (1u << 20)  /* a test's tokens (the context is sized to fit them) */
#define THREADS_MAX 256
#define REPS_MAX 1000

typedef struct {
	uint32_t v[LIST_MAX];
	size_t n;
} list_t;

typedef struct {
	const char *model;
	list_t pp, tg, threads;
	uint32_t reps;
	nc_ai_simd_t simd;
} bench_opts_t;

/* "a,b,c" of integers in [lo, hi]. */
static bool parse_list(const char *s, uint32_t lo, uint32_t hi, list_t *out)
{
	out->n = 0;
	for (;;) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno || v < (long)lo || v > (long)hi || out->n == LIST_MAX)
			return false;
		out->v[out->n++] = (uint32_t)v;
		if (*end == 0)
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

static bool parse_simd(const char *s, nc_ai_simd_t *out)
{
	static const struct {
		const char *name;
		nc_ai_simd_t simd;
	} names[] = {{"auto", NC_AI_SIMD_AUTO}, {"portable", NC_AI_SIMD_PORTABLE}, {"avx2", NC_AI_SIMD_AVX2},
	                {"avx512", NC_AI_SIMD_AVX512}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(s, names[i].name)) {
			*out = names[i].simd;
			return true;
		}
	return false;
}

static bool parse_bench_opts(int argc, char **argv, bench_opts_t *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	memset(o, 0, sizeof *o);
	o->pp = (list_t){{512}, 1};
	o->tg = (list_t){{128}, 1};
	o->threads = (list_t){{cpus > 0 && cpus <= THREADS_MAX ? (uint32_t)cpus : 1}, 1};
	o->reps = 5;
	for (int i = 0; i + 1 < argc; i += 2) {
		const char *a = argv[i], *v = argv[i + 1];
		list_t reps;
		bool ok;
		if (!strcmp(a, "-m")) {
			o->model = v;
			ok = true;
		} else if (!strcmp(a, "-p")) {
			ok = parse_list(v, 0, TOKENS_MAX, &o->pp);
		} else if (!strcmp(a, "-n")) {
			ok = parse_list(v, 0, TOKENS_MAX, &o->tg);
		} else if (!strcmp(a, "-t")) {
			ok = parse_list(v, 1, THREADS_MAX, &o->threads);
		} else if (!strcmp(a, "-r")) {
			ok = parse_list(v, 1, REPS_MAX, &reps) && reps.n == 1;
			o->reps = reps.v[0];
		} else if (!strcmp(a, "--simd")) {
			ok = parse_simd(v, &o->simd);
		} else {
			ok = false;
		}
		if (!ok)
			return false;
	}
	bool any = false;
	for (size_t i = 0; i < o->pp.n; i++)
		any |= o->pp.v[i] > 0;
	for (size_t i = 0; i < o->tg.n; i++)
		any |= o->tg.v[i] > 0;
	return argc % 2 == 0 && o->model && any;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* xorshift64: the random token ids of a test (llama-bench draws them too). */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Seconds for one run of a test: n_pp prompt tokens in one evaluation, or
 * (n_pp == 0) n_tg tokens evaluated one at a time; from an empty context. */
static double run_once(nc_ai_ctx_t *c, const int32_t *ids, uint32_t n_pp, uint32_t n_tg, nc_ai_err_t *e)
{
	nc_ai_ctx_reset(c);
	double t0 = now_s();
	if (n_pp)
		*e = nc_ai_eval(c, ids, n_pp, NULL);
	for (uint32_t i = 0; !n_pp && i < n_tg && !*e; i++)
		*e = nc_ai_eval(c, &ids[i], 1, NULL);
	return now_s() - t0;
}

/* The weight type holding most of the file's tensor bytes (llama-bench shows
 * the file type: F32, Q8_0, Q4_K, ...). */
static const char *main_type(const nc_ai_model_t *m)
{
	const nc_gguf_file_t *f = nc_ai_model_gguf(m);
	uint64_t bytes[64] = {0};
	uint32_t best = 0;
	for (uint64_t i = 0; i < f->n_tensors; i++) {
		const nc_gguf_tensor_t *t = &f->tensors[i];
		uint64_t bb, be;
		if (t->type < 64 && nc_gguf_type_layout(t->type, &bb, &be))
			bytes[t->type] += t->n_elements / be * bb;
	}
	for (uint32_t t = 1; t < 64; t++)
		if (bytes[t] > bytes[best])
			best = t;
	return nc_gguf_type_name(best);
}

typedef struct {
	const nc_ai_model_t *m;
	nc_ai_alloc_t *alloc;
	const bench_opts_t *o;
	const int32_t *ids;
	char label[96];  /* the model column */
	double size_mib, params_m;
} bench_t;

/* One table row: the test on T threads, warm-up then o->reps timed runs. */
static int run_test(const bench_t *b, uint32_t threads, uint32_t n_pp, uint32_t n_tg)
{
	host_pool_t *hp = NULL;
	nc_ai_pool_t pool;
	if (threads > 1 && !host_pool_create(threads, &hp, &pool)) {
		fputs("nc-ai: cannot start threads\n", stderr);
		return 1;
	}
	nc_ai_ctx_params_t p = {n_pp ? n_pp : n_tg, b->o->simd, hp ? &pool : NULL};
	nc_ai_ctx_t *c;
	nc_ai_err_t e = nc_ai_ctx_create(b->m, &p, b->alloc, &c);
	double sum = 0, sum2 = 0;
	uint32_t n = n_pp ? n_pp : n_tg;
	for (uint32_t r = 0; !e && r <= b->o->reps; r++) {
		double tps = n / run_once(c, b->ids, n_pp, n_tg, &e);
		if (r) {  /* run 0 warms up */
			sum += tps;
			sum2 += tps * tps;
		}
	}
	if (!e) {
		double mean = sum / b->o->reps, var = 0;
		if (b->o->reps > 1)
			var = (sum2 - sum * mean) / (b->o->reps - 1);
		printf("| %s | %.2f MiB | %.2f M | %s | %u | %s%u | %.2f ± %.2f |\n", b->label, b->size_mib,
		       b->params_m, nc_ai_ctx_simd_name(c), threads, n_pp ? "pp" : "tg", n, mean, sqrt(var > 0 ? var : 0));
		fflush(stdout);
	}
	nc_ai_ctx_destroy(c);
	host_pool_destroy(hp);
	if (e)
		fprintf(stderr, "nc-ai: bench: %s\n", nc_ai_err_name(e));
	return e ? 1 : 0;
}

int nc_ai_cmd_bench(int argc, char **argv)
{
	bench_opts_t o;
	if (!parse_bench_opts(argc, argv, &o))
		return 2;
	const void *img;
	size_t len;
	if (!host_map_file(o.model, &img, &len)) {
		fprintf(stderr, "nc-ai: %s: %s\n", o.model, strerror(errno ? errno : EINVAL));
		return 1;
	}
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_ai_model_t *m;
	nc_gguf_err_t ge;
	nc_ai_err_t e = nc_ai_model_open(img, len, &a, &m, &ge);
	if (e) {
		int rc = nc_ai_cli_open_failed(o.model, img, len, e, ge);
		host_unmap_file(img, len);
		return rc;
	}
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	uint32_t n_ids = 1;
	for (size_t i = 0; i < o.pp.n; i++)
		n_ids = o.pp.v[i] > n_ids ? o.pp.v[i] : n_ids;
	for (size_t i = 0; i < o.tg.n; i++)
		n_ids = o.tg.v[i] > n_ids ? o.tg.v[i] : n_ids;
	int32_t *ids = malloc(n_ids * sizeof *ids);
	int rc = ids ? 0 : 1;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (uint32_t i = 0; ids && i < n_ids; i++)
		ids[i] = (int32_t)(next_rand(&seed) % h.n_vocab);
	bench_t b = {m, &a, &o, ids, "", len / 1048576.0, h.n_params / 1e6};
	snprintf(b.label, sizeof b.label, "llama %.1fM %s", h.n_params / 1e6, main_type(m));
	printf("| model | size | params | backend | threads | test | t/s |\n");
	printf("| --- | ---: | ---: | --- | ---: | ---: | ---: |\n");
	for (size_t t = 0; !rc && t < o.threads.n; t++) {
		for (size_t i = 0; !rc && i < o.pp.n; i++)
			if (o.pp.v[i])
				rc = run_test(&b, o.threads.v[t], o.pp.v[i], 0);
		for (size_t i = 0; !rc && i < o.tg.n; i++)
			if (o.tg.v[i])
				rc = run_test(&b, o.threads.v[t], 0, o.tg.v[i]);
	}
	free(ids);
	nc_ai_model_close(m);
	host_unmap_file(img, len);
	return rc;
}

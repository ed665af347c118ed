/* Token sampling. Order of the steps (as llama.cpp's common sampler chain):
 * repetition penalty (llama.cpp rule: a positive logit is divided by the
 * penalty, a negative one multiplied, once per distinct token in the last
 * repeat_last_n positions) -> greedy when temperature <= 0 -> divide by the
 * temperature -> keep the top_k largest -> softmax -> keep the smallest prefix
 * whose probability reaches top_p -> draw with xoshiro256** (Blackman and
 * Vigna), seeded through splitmix64. Scratch lives in the context. */
#include "ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void ai_rng_seed(ai_rng_t *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(ai_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

float ai_rng_float(ai_rng_t *r)
{
	return (float)(rng_next(r) >> 40) * (1.0f / 16777216.0f);
}

static void penalise(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, float *logits)
{
	if (p->repeat_penalty <= 0 || p->repeat_penalty == 1.0f)
		return;
	uint32_t n = p->repeat_last_n && p->repeat_last_n < c->n_past ? p->repeat_last_n : c->n_past;
	int32_t *seen = c->idx;
	for (uint32_t i = c->n_past - n; i < c->n_past; i++)
		seen[c->tokens[i]] = 0;
	for (uint32_t i = c->n_past - n; i < c->n_past; i++) {
		int32_t t = c->tokens[i];
		if (seen[t])
			continue;
		seen[t] = 1;
		logits[t] = logits[t] > 0 ? logits[t] / p->repeat_penalty : logits[t] * p->repeat_penalty;
	}
}

static int32_t argmax(const float *v, size_t n)
{
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return (int32_t)best;
}

/* Order idx[0..n) by v descending (ties: lower id first): heap sort. */
static bool before(const float *v, int32_t a, int32_t b)
{
	return v[a] > v[b] || (v[a] == v[b] && a < b);
}

static void sift(const float *v, int32_t *idx, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		/* min-heap in the "before" order: the root is the last in order */
		if (child + 1 < n && before(v, idx[child], idx[child + 1]))
			child++;
		if (!before(v, idx[root], idx[child]))
			return;
		int32_t t = idx[root];
		idx[root] = idx[child];
		idx[child] = t;
		root = child;
	}
}

static void sort_desc(const float *v, int32_t *idx, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(v, idx, i, n);
	for (size_t end = n; end > 1; end--) {
		int32_t t = idx[0];
		idx[0] = idx[end - 1];
		idx[end - 1] = t;
		sift(v, idx, 0, end - 1);
	}
}

int32_t ai_sample(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, float *logits, ai_rng_t *rng)
{
	size_t V = c->m->info.n_vocab;
	penalise(c, p, logits);
	if (p->temperature <= 0)
		return argmax(logits, V);
	float *v = c->probs;
	int32_t *idx = c->idx;
	for (size_t i = 0; i < V; i++) {
		v[i] = logits[i] / p->temperature;
		idx[i] = (int32_t)i;
	}
	sort_desc(v, idx, V);
	size_t n = p->top_k && p->top_k < V ? p->top_k : V;
	float mx = v[idx[0]];
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += nc_ai_exp((double)(v[idx[i]] - mx));
	if (p->top_p > 0 && p->top_p < 1) {
		double acc = 0;
		for (size_t i = 0; i < n; i++) {
			acc += nc_ai_exp((double)(v[idx[i]] - mx)) / sum;
			if (acc >= p->top_p) {
				n = i + 1;
				break;
			}
		}
		sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += nc_ai_exp((double)(v[idx[i]] - mx));
	}
	double r = (double)ai_rng_float(rng) * sum, acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += nc_ai_exp((double)(v[idx[i]] - mx));
		if (r < acc)
			return idx[i];
	}
	return idx[n - 1];
}

/* aibench: the AI service's overhead inside NexaCore (docs/ai-service.md,
 * "Benchmarks"; bench/user/ai/ai_service_bench.sh boots it with the service
 * started as in the image). Same model, prompt and parameters (greedy,
 * AIB_TOKENS tokens, portable kernels) four ways, interleaved in each round:
 *
 *   direct   lib/ai in this process: tokenize, a context, nc_ai_gen_begin and
 *            nc_ai_gen_next until done (the model opened once, before), on
 *            a thread pool of AIB_THREADS threads (nc/ai_pool.h), as the
 *            service's workers (one per CPU) form one
 *   direct1  the same on one thread (no pool): the pool's gain
 *   invoke   AiInvokeParams through the kernel to the service
 *   stream   AiStreamParams: tokens as messages on a channel
 *
 * Reported: the medians of tokens/s per request (prompt included) and of the
 * first-token latency (direct: until the first nc_ai_gen_next returns;
 * stream: until the first token message arrives), each service path as a
 * ratio to direct (1.000: no overhead; the median of each round's ratio, the
 * pair run back to back, with the rounds' lowest and highest), the stream's
 * speed over AiInvoke's and how many token messages a stream took. The texts
 * of all four must be equal; direct's speed over direct1's is the gain of
 * the pool's threads. Speech: the image's sample WAV through
 * nc_ai_asr_transcribe here (on the pool, and on one thread) and through
 * AiTranscribe; real-time factor = processing time / audio duration.
 *
 * Time is the guest's clock (ClockGet). Under plain QEMU TCG that is wall
 * time, which on a loaded host swings by several times between identical
 * requests. With --instructions (the script boots QEMU with -icount shift=0)
 * the clock counts guest instructions, one per ns, on all CPUs together:
 * deterministic, so AIB_ROUNDS_ICOUNT rounds suffice; tokens/s reads as
 * tokens per 1e9 instructions and the first-token latencies are not
 * reported (QEMU then runs one vCPU at a time, so a message waits for the
 * reader's vCPU to get its turn).
 *
 *   aibench [--instructions] [TEXT_MODEL [SPEECH_MODEL WAV]]   (defaults: the image's) */
#include <nc/ai.h>
#include <nc/ai_asr.h>
#include <nc/ai_client.h>
#include <nc/ai_pool.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>
#include "../../kernel/kbench_util.h"

enum {
	AIB_TOKENS = 48, AIB_THREADS = 2, AIB_ROUNDS = 11, AIB_ROUNDS_ICOUNT = 3, MODEL_MAX = 4 << 20,
	WAV_MAX = NC_SYS_AI_AUDIO_MAX_BYTES, TEXT_MAX = 4096
};
#define PROMPT "The first steps in Vim"
#define NS 1000000000ull

typedef struct {
	uint64_t total_ns, first_ns;   /* whole request; until the first token */
	size_t tokens, bytes;
	size_t messages;               /* stream: token messages received */
} run_t;

static uint8_t model_img[MODEL_MAX], wav[WAV_MAX];
static bool icount;             /* --instructions: the clock counts instructions */
static int rounds = AIB_ROUNDS;
static char direct_text[TEXT_MAX], direct1_text[TEXT_MAX], service_text[TEXT_MAX];
static char stream_text[TEXT_MAX];
static nc_ai_pool_t pool; /* AIB_THREADS threads */
static int32_t ids[AIB_TOKENS + 64];

static uint64_t median(uint64_t *v, int n)
{
	return kbench_median(v, n);
}

/* "bench ai[.instr].name: V.VVV unit" from thousandths (unit: under the
 * wall clock; instr_unit: under --instructions). */
static void report(const char *name, uint64_t milli, const char *unit, const char *instr_unit)
{
	nc_print("bench ai.%s%s: %llu.%03llu %s\n", icount ? "instr." : "", name, (unsigned long long)(milli / 1000),
		 (unsigned long long)(milli % 1000), icount ? instr_unit : unit);
}

/* A ratio (thousandths, per round): "bench ai.name: median x (rounds lo..hi)". */
static void report_ratio(const char *name, uint64_t *per_round)
{
	uint64_t m = median(per_round, rounds); /* sorts */
	nc_print("bench ai.%s%s: %llu.%03llu x (rounds %llu.%03llu..%llu.%03llu)\n", icount ? "instr." : "", name,
		 (unsigned long long)(m / 1000), (unsigned long long)(m % 1000),
		 (unsigned long long)(per_round[0] / 1000), (unsigned long long)(per_round[0] % 1000),
		 (unsigned long long)(per_round[rounds - 1] / 1000), (unsigned long long)(per_round[rounds - 1] % 1000));
}

/* value / base in thousandths. */
static uint64_t ratio_milli(uint64_t value, uint64_t base)
{
	return base ? (value * 1000 + base / 2) / base : 0;
}

static nc_ai_gen_params_t greedy(void)
{
	nc_ai_gen_params_t p;
	nc_ai_gen_params_default(&p);
	p.temperature = 0;
	p.max_tokens = AIB_TOKENS;
	return p;
}

/* The direct path on p_pool (NULL: one thread), its text into text. */
static nc_sys_err_t direct(const nc_ai_model_t *m, const nc_ai_pool_t *p_pool, run_t *r, char *text)
{
	nc_ai_model_info_t h;
	nc_ai_model_get_info(m, &h);
	nc_ai_gen_params_t p = greedy();
	uint64_t t0 = nc_clock_ns();
	size_t n;
	nc_ai_ctx_t *c = NULL;
	nc_ai_ctx_params_t cp = { 0, NC_AI_SIMD_PORTABLE, p_pool };
	nc_ai_gen_t g;
	nc_ai_err_t e = nc_ai_tokenize(m, PROMPT, sizeof PROMPT - 1, h.add_bos ? NC_AI_TOK_ADD_BOS : 0, ids, 64, &n);
	cp.n_ctx = (uint32_t)(n + AIB_TOKENS);
	if (!e)
		e = nc_ai_ctx_create(m, &cp, &nc_ai_user_alloc, &c);
	if (!e)
		e = nc_ai_gen_begin(&g, c, &p, ids, n);
	r->tokens = r->bytes = 0;
	for (bool stopped = false; !e && !stopped;) {
		int32_t id;
		const uint8_t *b;
		size_t len;
		nc_ai_stop_t why;
		e = nc_ai_gen_next(&g, &id, &b, &len, &stopped, &why);
		if (e)
			break;
		if (!r->tokens++)
			r->first_ns = nc_clock_ns() - t0;
		if (r->bytes + len <= TEXT_MAX) {
			nc_mem_copy(text + r->bytes, b, len);
			r->bytes += len;
		}
	}
	if (e == NC_AI_ERR_ARG && r->tokens == AIB_TOKENS) /* max_tokens reached */
		e = NC_AI_OK;
	r->total_ns = nc_clock_ns() - t0;
	if (c)
		nc_ai_ctx_destroy(c);
	return e ? NC_SYS_ERR_INVALID : NC_SYS_OK;
}

static void service_opts(nc_ai_opts_t *o, const char *model)
{
	nc_ai_opts_default(o, model, PROMPT, sizeof PROMPT - 1);
	o->temperature_milli = 0;
	o->max_tokens = AIB_TOKENS;
}

static nc_sys_err_t invoke(const char *model, run_t *r)
{
	nc_ai_opts_t o;
	nc_sys_ai_request_t req;
	service_opts(&o, model);
	nc_ai_opts_request(&o, &req);
	uint64_t t0 = nc_clock_ns(), n = 0;
	nc_sys_err_t err = nc_sys_ai_invoke_params(&req, service_text, sizeof service_text, &n);
	r->total_ns = nc_clock_ns() - t0;
	r->bytes = n;
	return err;
}

typedef struct {
	uint64_t t0, first_ns;
	size_t bytes, messages;
} stream_clock_t;

/* A stream message: its bytes appended to stream_text; the first one's time. */
static bool on_token(void *ctx, const uint8_t *b, size_t n)
{
	stream_clock_t *s = ctx;
	if (!s->bytes)
		s->first_ns = nc_clock_ns() - s->t0;
	if (s->bytes + n <= sizeof stream_text)
		nc_mem_copy(stream_text + s->bytes, b, n);
	s->bytes += n;
	s->messages++;
	return true;
}

static nc_sys_err_t stream(const char *model, run_t *r)
{
	nc_ai_opts_t o;
	service_opts(&o, model);
	stream_clock_t s = { nc_clock_ns(), 0, 0, 0 };
	nc_sys_ai_stream_end_t end;
	nc_sys_err_t err = nc_ai_stream(&o, on_token, &s, &end);
	r->total_ns = nc_clock_ns() - s.t0;
	r->first_ns = s.first_ns;
	r->tokens = (size_t)end.n_tokens;
	r->bytes = s.bytes;
	r->messages = s.messages;
	return err;
}

static nc_sys_err_t load(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	char full[128];
	nc_fmt_format(full, sizeof full, "/models/%s", path);
	return nc_file_read(full, nc_str_len(full), buf, cap, len);
}

/* Tokens per second of r, in thousandths. */
static uint64_t tps_milli(const run_t *r, size_t tokens)
{
	return r->total_ns ? tokens * NS * 1000 / r->total_ns : 0;
}

static int text_bench(const char *model)
{
	char file[96];
	size_t len;
	nc_fmt_format(file, sizeof file, "%s.gguf", model);
	nc_sys_err_t err = load(file, model_img, sizeof model_img, &len);
	nc_ai_model_t *m = NULL;
	if (err || nc_ai_model_open(model_img, len, &nc_ai_user_alloc, &m, NULL)) {
		nc_print("aibench: cannot open /models/%s: %s\n", file, nc_sys_err_name(err));
		return 1;
	}
	run_t d = { 0 }, d1 = { 0 }, i = { 0 }, s = { 0 };
	uint64_t tps[4][AIB_ROUNDS], first[2][AIB_ROUNDS], id[AIB_ROUNDS], sd[AIB_ROUNDS], si[AIB_ROUNDS],
		msgs[AIB_ROUNDS], extra[2][AIB_ROUNDS], dd1[AIB_ROUNDS];
	if (invoke(model, &i) || stream(model, &s)) { /* the service loads the model */
		nc_print("aibench: the service does not answer\n");
		return 1;
	}
	for (int k = 0; k < rounds; k++) {
		if ((err = direct(m, &pool, &d, direct_text)) || (err = direct(m, NULL, &d1, direct1_text)) ||
		    (err = invoke(model, &i)) || (err = stream(model, &s))) {
			nc_print("aibench: round %d: %s\n", k, nc_sys_err_name(err));
			return 1;
		}
		if (i.bytes != d.bytes || nc_mem_compare(service_text, direct_text, d.bytes) || s.tokens != d.tokens ||
		    s.bytes != d.bytes || nc_mem_compare(stream_text, direct_text, d.bytes) || d1.bytes != d.bytes ||
		    nc_mem_compare(direct1_text, direct_text, d.bytes)) {
			nc_print("aibench: the texts differ (%zu/%zu/%zu/%zu bytes, %zu/%zu tokens)\n", i.bytes,
				 s.bytes, d.bytes, d1.bytes, s.tokens, d.tokens);
			return 1;
		}
		tps[0][k] = tps_milli(&d, d.tokens);
		tps[1][k] = tps_milli(&i, d.tokens);
		tps[2][k] = tps_milli(&s, d.tokens);
		tps[3][k] = tps_milli(&d1, d.tokens);
		dd1[k] = ratio_milli(tps[0][k], tps[3][k]);
		first[0][k] = d.first_ns;
		first[1][k] = s.first_ns;
		id[k] = ratio_milli(tps[1][k], tps[0][k]); /* each pair ran back to back */
		sd[k] = ratio_milli(tps[2][k], tps[0][k]);
		extra[0][k] = i.total_ns > d.total_ns ? i.total_ns - d.total_ns : 0;
		extra[1][k] = s.total_ns > i.total_ns ? s.total_ns - i.total_ns : 0;
		si[k] = ratio_milli(tps[2][k], tps[1][k]);
		msgs[k] = s.messages * 1000;
	}
	nc_ai_model_close(m);
	uint64_t td = median(tps[0], rounds), ti = median(tps[1], rounds), ts = median(tps[2], rounds),
		td1 = median(tps[3], rounds);
	uint64_t fd = median(first[0], rounds), fs = median(first[1], rounds);
	nc_print("aibench: %s, %zu tokens greedy, direct on %d threads, median of %d rounds%s\n", model, d.tokens,
		 AIB_THREADS, rounds, icount ? ", clock = guest instructions" : "");
	const char *tok = "tokens/s", *tok_i = "tokens/Ginstr";
	report("direct_tokens_per_s", td, tok, tok_i);
	report("direct1_tokens_per_s", td1, tok, tok_i);
	report_ratio("direct_threads_vs_one", dd1);
	report("invoke_tokens_per_s", ti, tok, tok_i);
	report("stream_tokens_per_s", ts, tok, tok_i);
	report_ratio("invoke_speed_vs_direct", id);
	report_ratio("stream_speed_vs_direct", sd);
	report_ratio("stream_speed_vs_invoke", si);
	report("stream_messages", median(msgs, rounds), "messages", "messages");
	if (icount) { /* the overheads themselves: a ratio's third decimal hides them */
		report("invoke_extra_instructions", median(extra[0], rounds) * 1000, "", "instructions over direct");
		report("stream_extra_instructions", median(extra[1], rounds) * 1000, "", "instructions over AiInvoke");
	} else {
		report("direct_first_token_ms", fd / 1000, "ms", "");
		report("stream_first_token_ms", fs / 1000, "ms", "");
		report("stream_first_token_vs_direct", ratio_milli(fs, fd), "x", "");
	}
	return 0;
}

static int speech_bench(const char *model, const char *wav_name)
{
	char file[96];
	size_t len, wav_len;
	nc_fmt_format(file, sizeof file, "%s.gguf", model);
	nc_ai_asr_t *m = NULL;
	nc_ai_wav_t w;
	if (load(file, model_img, sizeof model_img, &len) || load(wav_name, wav, sizeof wav, &wav_len) ||
	    nc_ai_asr_open(model_img, len, &nc_ai_user_alloc, &m, NULL) || nc_ai_wav_parse(wav, wav_len, &w)) {
		nc_print("aibench: cannot open %s or %s\n", file, wav_name);
		return 1;
	}
	uint64_t audio_ns = w.n_frames * NS / w.sample_rate, t[3][AIB_ROUNDS], sd[AIB_ROUNDS], d1d[AIB_ROUNDS], got;
	if (nc_sys_ai_transcribe(model, nc_str_len(model), wav, wav_len, service_text, sizeof service_text, &got))
		return 1;
	for (int k = 0; k < rounds; k++) {
		size_t n, n1;
		uint64_t t0 = nc_clock_ns();
		nc_ai_err_t e = nc_ai_asr_transcribe(m, w.data, w.n_frames, &nc_ai_user_alloc, &pool, NC_AI_SIMD_PORTABLE,
						     NC_AI_ASR_DECODE_DEFAULT, direct_text, sizeof direct_text, &n);
		uint64_t t1 = nc_clock_ns();
		nc_sys_err_t err = nc_sys_ai_transcribe(model, nc_str_len(model), wav, wav_len, service_text,
							sizeof service_text, &got);
		uint64_t t2 = nc_clock_ns();
		nc_ai_err_t e1 = nc_ai_asr_transcribe(m, w.data, w.n_frames, &nc_ai_user_alloc, NULL, NC_AI_SIMD_PORTABLE,
						      NC_AI_ASR_DECODE_DEFAULT, direct1_text, sizeof direct1_text, &n1);
		t[2][k] = nc_clock_ns() - t2;
		if (e || e1 || err || got != n || n1 != n || nc_mem_compare(direct_text, service_text, n) ||
		    nc_mem_compare(direct1_text, direct_text, n)) {
			nc_print("aibench: transcriptions differ or failed\n");
			return 1;
		}
		t[0][k] = t1 - t0;
		t[1][k] = t2 - t1;
		sd[k] = ratio_milli(t[1][k], t[0][k]);
		d1d[k] = ratio_milli(t[2][k], t[0][k]); /* one thread's time over the pool's: its speed-up */
	}
	nc_ai_asr_close(m);
	uint64_t d = median(t[0], rounds), s = median(t[1], rounds);
	nc_print("aibench: %s on %s (%llu ms of audio), median of %d rounds\n", model, wav_name,
		 (unsigned long long)(audio_ns / 1000000), rounds);
	const char *rtf = "x real time", *rtf_i = "Ginstr per audio second";
	report("direct_transcribe_rtf", ratio_milli(d, audio_ns), rtf, rtf_i);
	report("direct1_transcribe_rtf", ratio_milli(median(t[2], rounds), audio_ns), rtf, rtf_i);
	report_ratio("direct_transcribe_threads_vs_one", d1d);
	report("service_transcribe_rtf", ratio_milli(s, audio_ns), rtf, rtf_i);
	report_ratio("service_transcribe_vs_direct", sd);
	return 0;
}

int main(const char *arg, size_t arg_len)
{
	static char words[NC_SYS_ARG_MAX + 1];
	const char *w[3] = { "tiny-llama-q8_0", "tiny-asr-f16", "speech-s0001.wav" };
	nc_mem_copy(words, arg, arg_len);
	for (size_t i = 0, k = 0; i < arg_len && k < 3;) {
		const char *word = words + i;
		while (i < arg_len && words[i] != ' ')
			i++;
		words[i++] = 0;
		if (!nc_str_compare(word, "--instructions")) {
			icount = true;
			rounds = AIB_ROUNDS_ICOUNT;
		} else {
			w[k++] = word;
		}
	}
	nc_ai_upool_t *up;
	if (nc_ai_upool_create(AIB_THREADS - 1, true, &up, &pool) != NC_SYS_OK) {
		nc_print("aibench: no thread pool\n");
		return 1;
	}
	return text_bench(w[0]) | speech_bench(w[1], w[2]);
}

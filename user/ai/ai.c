/* ai: the AI service from the shell (docs/ai-service.md). The shell's `ai`
 * command runs it with ai.invoke on the model named (and fs.read on a WAV
 * file); Ctrl-C ends the program, which closes its stream channel and so
 * cancels the session at once.
 *
 *   ai models
 *   ai run MODEL PROMPT... [-n N] [--temp T] [--top-k K] [--top-p P]
 *          [--repeat-penalty R] [--seed S] [--stop STR]...   stream the generation
 *   ai chat MODEL [options]        a conversation: each line typed is a turn
 *   ai embed MODEL TEXT...         the embedding, one number a line
 *   ai classify MODEL --labels a,b,c TEXT...   the best label, then each score
 *   ai transcribe MODEL FILE.wav   speech to text
 *
 * Sampling defaults are the engine's (nc_ai_opts_default). Exit status: 0,
 * 1 when a call fails (its error printed), 64 for a usage error. */
#include <nc/ai_client.h>
#include <nc/args.h>
#include <nc/mem.h>
#include <nc/ncs.h>
#include <nc/ulib.h>

enum { EXIT_USAGE = 64, MAX_ARGS = 48, TEXT_MAX = NC_SYS_AI_INPUT_MAX_BYTES, CHAT_KEEP = 2048,
       WAV_MAX = NC_SYS_AI_AUDIO_MAX_BYTES, EMBED_MAX = 4096 };

static char words[NC_SYS_ARG_MAX + 64];
static char text[TEXT_MAX + 1];
static uint8_t wav[WAV_MAX];
static double numbers[EMBED_MAX];

static int usage(void)
{
	nc_print("usage: ai models | ai run MODEL PROMPT... [-n N] [--temp T] [--top-k K] [--top-p P]\n"
		 "       [--repeat-penalty R] [--seed S] [--stop STR] | ai chat MODEL | ai embed MODEL TEXT...\n"
		 "       | ai classify MODEL --labels a,b,c TEXT... | ai transcribe MODEL FILE.wav\n");
	return EXIT_USAGE;
}

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("ai: %s: %s\n", what, nc_sys_err_name(err));
	return 1;
}

/* Options and words of argv[from..argc): options into o, the other words
 * joined by spaces into text (*len). labels: --labels' value or NULL. */
static bool parse(int argc, char **argv, int from, nc_ai_opts_t *o, size_t *len, const char **labels)
{
	*len = 0;
	for (int i = from; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true, opt = a[0] == '-' && a[1];
		if (opt && !v)
			return false;
		if (!opt) {
			size_t n = nc_str_len(a);
			if (*len + n + 1 > TEXT_MAX)
				return false;
			if (*len)
				text[(*len)++] = ' ';
			nc_mem_copy(text + *len, a, n);
			*len += n;
			continue;
		}
		if (!nc_str_compare(a, "-n"))
			ok = nc_ai_parse_u64(v, NC_SYS_AI_MAX_TOKENS, &o->max_tokens);
		else if (!nc_str_compare(a, "--temp"))
			ok = nc_ai_parse_milli(v, 100000, &o->temperature_milli);
		else if (!nc_str_compare(a, "--top-k"))
			ok = nc_ai_parse_u64(v, 1u << 20, &o->top_k);
		else if (!nc_str_compare(a, "--top-p"))
			ok = nc_ai_parse_milli(v, 1000, &o->top_p_milli);
		else if (!nc_str_compare(a, "--repeat-penalty"))
			ok = nc_ai_parse_milli(v, 100000, &o->repeat_penalty_milli);
		else if (!nc_str_compare(a, "--seed"))
			ok = nc_ai_parse_u64(v, UINT64_MAX, &o->seed);
		else if (!nc_str_compare(a, "--stop"))
			ok = nc_ai_opts_add_string(o, v, nc_str_len(v));
		else if (!nc_str_compare(a, "--labels") && labels)
			*labels = v;
		else
			return false;
		if (!ok)
			return false;
		i++;
	}
	text[*len] = 0;
	return true;
}

static bool print_bytes(void *ctx, const uint8_t *b, size_t n)
{
	(void)ctx;
	nc_sys_write_console(b, n);
	return true;
}

static const char *const end_names[] = { "length", "stop string", "end of text", "deadline", "cancelled",
					 "context full", "error" };

static int generate(nc_ai_opts_t *o, bool report)
{
	nc_sys_ai_stream_end_t end;
	nc_sys_err_t err = nc_ai_stream(o, print_bytes, NULL, &end);
	if (err)
		return fail("AiStream", err);
	if (end.reason == NC_SYS_AI_END_ERROR)
		return fail("generation", (nc_sys_err_t)end.status);
	if (report)
		nc_print("\n[%llu tokens, %s]\n", (unsigned long long)end.n_tokens,
			 end.reason < 7 ? end_names[end.reason] : "?");
	return 0;
}

/* Appending to the conversation text (the oldest part goes when it is full). */
static size_t chat_append(size_t len, const char *s, size_t n)
{
	if (len + n > CHAT_KEEP) {
		size_t drop = len + n - CHAT_KEEP;
		drop = drop > len ? len : drop;
		nc_mem_move(text, text + drop, len - drop);
		len -= drop;
	}
	nc_mem_copy(text + len, s, n);
	return len + n;
}

typedef struct {
	size_t len;
} chat_t;

static bool chat_bytes(void *ctx, const uint8_t *b, size_t n)
{
	chat_t *c = ctx;
	nc_sys_write_console(b, n);
	c->len = chat_append(c->len, (const char *)b, n);
	return true;
}

static int chat(nc_ai_opts_t *o)
{
	static char line[512];
	chat_t c = { 0 };
	nc_ai_opts_add_string(o, "\nUser:", 6);
	nc_print("chat with %s: type a line, Ctrl-D ends\n", o->model);
	for (;;) {
		size_t n = 0, got;
		nc_print("> ");
		while (n + 1 < sizeof line) {
			char ch;
			nc_sys_err_t err = nc_stdin_read(&ch, 1, NC_SYS_TIMEOUT_INFINITE, &got);
			if (err || got == 0)
				return 0;
			nc_sys_write_console(&ch, 1);
			if (ch == '\n' || ch == '\r')
				break;
			line[n++] = ch;
		}
		if (n && line[n - 1] == '\r')
			n--;
		c.len = chat_append(c.len, "User: ", 6);
		c.len = chat_append(c.len, line, n);
		c.len = chat_append(c.len, "\nAssistant:", 11);
		o->input = text;
		o->input_len = c.len;
		nc_sys_ai_stream_end_t end;
		nc_sys_err_t err = nc_ai_stream(o, chat_bytes, &c, &end);
		if (err)
			return fail("AiStream", err);
		nc_print("\n");
		c.len = chat_append(c.len, "\n", 1);
	}
}

static int models(void)
{
	static nc_sys_ai_model_t m[32];
	uint64_t n;
	nc_sys_err_t err = nc_sys_ai_model_list(m, 32, &n);
	if (err)
		return fail("AiModelList", err);
	nc_print("%-24s %-8s %-7s %10s %10s %s\n", "MODEL", "ARCH", "KIND", "PARAMS", "BYTES", "LOADED");
	for (uint64_t i = 0; i < n; i++)
		nc_print("%-24s %-8s %-7s %10llu %10llu %s\n", m[i].id, m[i].arch,
			 m[i].kind == NC_SYS_AI_KIND_SPEECH ? "speech" : "text", (unsigned long long)m[i].n_params,
			 (unsigned long long)m[i].file_bytes, m[i].loaded ? "yes" : "no");
	return 0;
}

static int embed(const char *model, size_t len)
{
	uint64_t n;
	nc_sys_err_t err = nc_sys_ai_embed(model, nc_str_len(model), text, len, numbers, EMBED_MAX, &n);
	if (err)
		return fail("AiEmbed", err);
	for (uint64_t i = 0; i < n; i++) {
		char num[NC_NCS_FLOAT_TEXT_MAX];
		nc_ncs_format_float(numbers[i], num, sizeof num);
		nc_print("%s\n", num);
	}
	return 0;
}

static int classify(nc_ai_opts_t *o, const char *labels, size_t len)
{
	const char *start = labels;
	for (const char *p = labels;; p++)
		if (*p == ',' || !*p) {
			if (p == start || !nc_ai_opts_add_string(o, start, (size_t)(p - start)))
				return usage();
			start = p + 1;
			if (!*p)
				break;
		}
	nc_sys_ai_request_t r;
	o->input_len = len;
	nc_ai_opts_request(o, &r);
	uint64_t best;
	nc_sys_err_t err = nc_sys_ai_classify_labels(&r, numbers, NC_SYS_AI_LABELS_MAX, &best);
	if (err)
		return fail("AiClassifyLabels", err);
	const char *l = o->stops;
	for (uint64_t i = 0; l < o->stops + o->stops_len; i++, l += nc_str_len(l) + 1) {
		if (i == best)
			nc_print("%s\n", l);
	}
	l = o->stops;
	for (uint64_t i = 0; l < o->stops + o->stops_len; i++, l += nc_str_len(l) + 1) {
		char num[NC_NCS_FLOAT_TEXT_MAX];
		nc_ncs_format_float(numbers[i], num, sizeof num);
		nc_print(" %s %s\n", l, num);
	}
	return 0;
}

static int transcribe(const char *model, const char *path)
{
	uint64_t got;
	size_t n;
	nc_sys_err_t err = nc_file_read(path, nc_str_len(path), wav, WAV_MAX, &n);
	if (err)
		return fail(path, err);
	err = nc_sys_ai_transcribe(model, nc_str_len(model), wav, n, text, TEXT_MAX, &got);
	if (err)
		return fail("AiTranscribe", err);
	nc_print("%.*s\n", (int)got, text);
	return 0;
}

int main(const char *arg, size_t arg_len)
{
	char *argv[MAX_ARGS + 1];
	int argc;
	if (nc_args_split(arg, arg_len, words, sizeof words, argv, MAX_ARGS, &argc) || argc < 1)
		return usage();
	const char *cmd = argv[0];
	if (!nc_str_compare(cmd, "models"))
		return argc == 1 ? models() : usage();
	if (argc < 2)
		return usage();
	const char *model = argv[1], *labels = NULL;
	nc_ai_opts_t o;
	size_t len;
	nc_ai_opts_default(&o, model, text, 0);
	if (!nc_str_compare(cmd, "transcribe"))
		return argc == 3 ? transcribe(model, argv[2]) : usage();
	if (!parse(argc, argv, 2, &o, &len, &labels))
		return usage();
	o.input_len = len;
	if (!nc_str_compare(cmd, "run"))
		return len ? generate(&o, true) : usage();
	if (!nc_str_compare(cmd, "chat"))
		return len ? usage() : chat(&o);
	if (!nc_str_compare(cmd, "embed"))
		return len ? embed(model, len) : usage();
	if (!nc_str_compare(cmd, "classify"))
		return len && labels ? classify(&o, labels, len) : usage();
	return usage();
}

/* ncs on NexaCore: run an ncScript file from the initrd with lib/ncs, the
 * library the host `ncs` uses.
 *   ncs FILE [--max-steps N] [--max-alloc BYTES] [--deadline-ms N] [--max-depth N]
 * The script's effects are served only within the capabilities this process
 * holds (the shell's `ncs FILE` grants fs.read on FILE; `ncs --grant ... FILE`
 * adds more): for every fs.read capability fs::read and fs::list handlers, for
 * every fs.write capability fs::write, fs::append, fs::remove and fs::mkdir
 * handlers, and for every ai.invoke capability the AI effects (ai::invoke,
 * ai::stream, ai::embed, ai::classify, ai::transcribe through the Ai* calls),
 * and for every net.connect, net.send and net.recv capability net::connect,
 * net::send and net::recv (TCP, net_effects.h), and for every net.connect
 * capability net::fetch (HTTP GET, lib/http) are installed with that
 * capability's scope, so the effective permission is
 * what the script declares AND what the kernel granted (which the kernel checks
 * again on each call). Exit codes are the host tool's: 0 ok, 1 compile
 * error, 2 runtime error, 3 limit hit, 4 capability denied, 64 usage. */
#include <nc/ai_client.h>
#include <nc/args.h>
#include <nc/mem.h>
#include <nc/ncs.h>
#include <nc/ulib.h>
#include "net_effects.h"

enum { EXIT_USAGE = 64, MAX_ARGS = 16, SRC_MAX = 256 * 1024, MAX_HANDLERS = 48 };

static char src[SRC_MAX];
static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];
static nc_ncs_handler_t handlers[MAX_HANDLERS];

/* Read a whole initrd file into buf (NUL-terminated). */
static nc_sys_err_t read_file(const char *path, size_t path_len, char *buf, size_t cap,
			      size_t *len)
{
	nc_sys_err_t err = nc_file_read(path, path_len, buf, cap - 1, len);
	buf[*len] = 0;
	return err;
}

static nc_ncs_err_t fs_read(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			    nc_ncs_reply_t *reply, const char **message)
{
	static char data[64 * 1024];
	size_t len;
	nc_sys_err_t err = read_file(args[0].ptr, args[0].len_bytes, data, sizeof data, &len);
	if (err) {
		*message = nc_sys_err_name(err);
		return NC_NCS_ERR_EFFECT;
	}
	return nc_ncs_reply_text(reply, data, len);
}

/* Fail an effect with the system error's text. */
static nc_ncs_err_t failed(nc_sys_err_t err, const char **message)
{
	*message = nc_sys_err_name(err);
	return NC_NCS_ERR_EFFECT;
}

static nc_ncs_err_t fs_list(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			    nc_ncs_reply_t *reply, const char **message)
{
	uint64_t h;
	static nc_sys_dirent_full_t e;
	nc_sys_err_t err = nc_sys_fs_open(args[0].ptr, args[0].len_bytes, NC_SYS_OPEN_DIR, &h);
	if (err)
		return failed(err, message);
	nc_ncs_err_t nerr = NC_NCS_OK;
	for (uint64_t i = 0; !nerr && (err = nc_sys_fs_read_dir(h, i, &e)) == NC_SYS_OK; i++)
		nerr = nc_ncs_reply_text(reply, e.name, nc_str_len(e.name));
	nc_sys_handle_close(h);
	return nerr ? nerr : err == NC_SYS_ERR_NOT_FOUND ? NC_NCS_OK : failed(err, message);
}

/* fs::write (create or truncate) and fs::append: the text, written whole. */
static nc_ncs_err_t fs_put(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			   nc_ncs_reply_t *reply, const char **message)
{
	uint64_t h = 0, flags = NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE |
			       (fx == NC_NCS_FX_FS_APPEND ? NC_SYS_OPEN_APPEND : NC_SYS_OPEN_TRUNCATE);
	nc_sys_err_t err = nc_sys_fs_open(args[0].ptr, args[0].len_bytes, flags, &h);
	if (!err)
		err = nc_fd_write_whole(h, args[1].ptr, args[1].len_bytes);
	if (h)
		nc_sys_handle_close(h);
	return err ? failed(err, message) : NC_NCS_OK;
}

/* fs::remove (a file, or an empty directory) and fs::mkdir. */
static nc_ncs_err_t fs_name(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			    nc_ncs_reply_t *reply, const char **message)
{
	const char *p = args[0].ptr;
	size_t len = args[0].len_bytes;
	nc_sys_err_t err = fx == NC_NCS_FX_FS_MKDIR ? nc_sys_fs_mkdir(p, len) : nc_sys_fs_unlink(p, len);
	if (err == NC_SYS_ERR_WRONG_TYPE && fx == NC_NCS_FX_FS_REMOVE)
		err = nc_sys_fs_rmdir(p, len);
	return err ? failed(err, message) : NC_NCS_OK;
}

/* The AI effects through the AI service (docs/ai-service.md): ai::invoke(model,
 * prompt) -> the generated text (the service's default sampling),
 * ai::embed(model, text) -> the numbers as texts, ai::classify(model, text,
 * labels) with labels comma-separated -> the best label. args[0], the model id,
 * was checked against the script's declaration and this handler's scope (the
 * process's ai.invoke capability); the kernel checks it again. */
static nc_ncs_err_t ai_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			      nc_ncs_reply_t *reply, const char **message)
{
	static char model[NC_SYS_AI_MODEL_ID_MAX + 1], out[NC_SYS_AI_INPUT_MAX_BYTES], input[NC_SYS_AI_INPUT_MAX_BYTES];
	static double v[4096];
	uint64_t n;
	nc_sys_err_t err = NC_SYS_ERR_INVALID;
	if (n_args < 2 || args[0].len_bytes > NC_SYS_AI_MODEL_ID_MAX || args[1].len_bytes >= sizeof input) {
		*message = "ai: need a model id and a text";
		return NC_NCS_ERR_EFFECT;
	}
	nc_mem_copy(model, args[0].ptr, args[0].len_bytes);
	model[args[0].len_bytes] = 0;
	if (fx == NC_NCS_FX_AI_INVOKE)
		err = nc_sys_ai_invoke(model, args[0].len_bytes, args[1].ptr, args[1].len_bytes, out, sizeof out, &n);
	else if (fx == NC_NCS_FX_AI_EMBED)
		err = nc_sys_ai_embed(model, args[0].len_bytes, args[1].ptr, args[1].len_bytes, v, 4096, &n);
	else if (fx == NC_NCS_FX_AI_CLASSIFY && n_args == 3 && args[1].len_bytes + args[2].len_bytes + 2 < sizeof input) {
		size_t k = args[1].len_bytes; /* text NUL label NUL label NUL */
		nc_mem_copy(input, args[1].ptr, k);
		input[k++] = 0;
		for (size_t i = 0; i < args[2].len_bytes; i++)
			input[k++] = args[2].ptr[i] == ',' ? 0 : args[2].ptr[i];
		input[k++] = 0;
		err = nc_sys_ai_classify(model, args[0].len_bytes, input, k, out, sizeof out, &n);
	}
	if (err)
		return failed(err, message);
	if (fx != NC_NCS_FX_AI_EMBED)
		return nc_ncs_reply_text(reply, out, n);
	nc_ncs_err_t e = NC_NCS_OK;
	for (uint64_t i = 0; !e && i < n; i++) {
		char num[NC_NCS_FLOAT_TEXT_MAX];
		size_t len = nc_ncs_format_float(v[i], num, sizeof num);
		e = nc_ncs_reply_text(reply, num, len);
	}
	return e;
}

/* ai::stream(model, prompt): the generated text as an array of the pieces
 * AiStream delivered, in order (one per message, a token or several, except
 * that a character split between messages comes whole in the piece where it
 * ends). */
typedef struct {
	nc_ncs_reply_t *reply;
	uint8_t carry[4];          /* the start of a character not yet complete */
	size_t n_carry;
	nc_ncs_err_t err;
} stream_pieces_t;

/* Bytes of b[0..n) up to the end of its last complete UTF-8 character. */
static size_t complete_prefix(const uint8_t *b, size_t n)
{
	size_t lead = n;
	while (lead > 0 && n - lead < 4 && (b[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return n; /* no lead byte: invalid, reply_text says so */
	uint8_t c = b[lead - 1];
	size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
	return n - (lead - 1) >= len ? n : lead - 1;
}

static bool stream_piece(void *ctx, const uint8_t *b, size_t n)
{
	stream_pieces_t *s = ctx;
	uint8_t buf[NC_SYS_IPC_MSG_MAX_BYTES + sizeof s->carry];
	nc_mem_copy(buf, s->carry, s->n_carry);
	nc_mem_copy(buf + s->n_carry, b, n);
	n += s->n_carry;
	size_t k = complete_prefix(buf, n);
	s->n_carry = n - k;
	if (s->n_carry > sizeof s->carry - 1) {
		s->err = NC_NCS_ERR_EFFECT;
		return false;
	}
	nc_mem_copy(s->carry, buf + k, s->n_carry);
	s->err = k ? nc_ncs_reply_text(s->reply, (const char *)buf, k) : NC_NCS_OK;
	return s->err == NC_NCS_OK;
}

static nc_ncs_err_t ai_stream_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
				     nc_ncs_reply_t *reply, const char **message)
{
	(void)ud;
	(void)fx;
	static char model[NC_SYS_AI_MODEL_ID_MAX + 1];
	if (n_args != 2 || args[0].len_bytes > NC_SYS_AI_MODEL_ID_MAX) {
		*message = "ai: need a model id and a text";
		return NC_NCS_ERR_EFFECT;
	}
	nc_mem_copy(model, args[0].ptr, args[0].len_bytes);
	model[args[0].len_bytes] = 0;
	nc_ai_opts_t o;
	nc_ai_opts_default(&o, model, args[1].ptr, args[1].len_bytes);
	stream_pieces_t s = { reply, { 0 }, 0, NC_NCS_OK };
	nc_sys_ai_stream_end_t end;
	nc_sys_err_t err = nc_ai_stream(&o, stream_piece, &s, &end);
	if (s.err)
		*message = "the generated text is not UTF-8";
	else if (err || end.reason == NC_SYS_AI_END_ERROR)
		*message = nc_sys_err_name(err ? err : (nc_sys_err_t)end.status);
	else if (s.n_carry)
		*message = "the generated text ends inside a character";
	else
		return NC_NCS_OK;
	return s.err && s.err != NC_NCS_ERR_EFFECT ? s.err : NC_NCS_ERR_EFFECT;
}

/* ai::transcribe(model, path): the text AiTranscribe makes of the WAV file at
 * path (read with this process's fs.read; the script declares only
 * ai.transcribe on the model). */
static nc_ncs_err_t ai_transcribe_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
					 nc_ncs_reply_t *reply, const char **message)
{
	(void)ud;
	(void)fx;
	static uint8_t wav[NC_SYS_AI_AUDIO_MAX_BYTES];
	static char text[NC_SYS_AI_INPUT_MAX_BYTES];
	size_t len;
	uint64_t n;
	nc_sys_err_t err = n_args == 2 ? nc_file_read(args[1].ptr, args[1].len_bytes, wav, sizeof wav, &len)
				       : NC_SYS_ERR_INVALID;
	if (!err)
		err = nc_sys_ai_transcribe(args[0].ptr, args[0].len_bytes, wav, len, text, sizeof text, &n);
	return err ? failed(err, message) : nc_ncs_reply_text(reply, text, n);
}

/* Whether a capability for action have covers action: the same action, or its
 * family ("fs" covers fs.read and fs.write). */
static bool action_covers(const char *have, const char *action)
{
	size_t n = nc_str_len(have);
	return !nc_str_compare(have, action) || (nc_str_starts_with(action, have) && action[n] == '.');
}

/* Handlers for the capabilities this process holds, each with that capability's scope: fs.read
 * serves fs::read and fs::list, fs.write serves fs::write, fs::append, fs::remove and fs::mkdir,
 * ai.invoke serves the AI effects, net.connect, net.send and net.recv serve net::connect,
 * net::send and net::recv (net_effects.h), net.connect net::fetch too ("fs", "ai" and "net" their
 * families). */
static size_t install_handlers(void)
{
	static const struct {
		nc_ncs_effect_t fx;
		const char *action;
		nc_ncs_effect_fn fn;
	} serves[] = {
		{ NC_NCS_FX_FS_READ, "fs.read", fs_read },       { NC_NCS_FX_FS_LIST, "fs.read", fs_list },
		{ NC_NCS_FX_FS_WRITE, "fs.write", fs_put },      { NC_NCS_FX_FS_APPEND, "fs.write", fs_put },
		{ NC_NCS_FX_FS_REMOVE, "fs.write", fs_name },    { NC_NCS_FX_FS_MKDIR, "fs.write", fs_name },
		{ NC_NCS_FX_AI_INVOKE, "ai.invoke", ai_effect }, { NC_NCS_FX_AI_EMBED, "ai.invoke", ai_effect },
		{ NC_NCS_FX_AI_CLASSIFY, "ai.invoke", ai_effect }, { NC_NCS_FX_AI_STREAM, "ai.invoke", ai_stream_effect },
		{ NC_NCS_FX_AI_TRANSCRIBE, "ai.invoke", ai_transcribe_effect },
		{ NC_NCS_FX_NET_CONNECT, "net.connect", ncs_net_effect }, { NC_NCS_FX_NET_SEND, "net.send", ncs_net_effect },
		{ NC_NCS_FX_NET_RECV, "net.recv", ncs_net_effect }, { NC_NCS_FX_NET_FETCH, "net.connect", ncs_net_fetch_effect },
	};
	uint64_t n;
	size_t k = 0;
	if (nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++) {
		const nc_sys_handle_info_t *h = &held[i];
		if (h->type != NC_SYS_HANDLE_CAP || h->state)
			continue;
		for (size_t s = 0; s < sizeof serves / sizeof serves[0] && k < MAX_HANDLERS; s++)
			if (action_covers(h->action, serves[s].action))
				handlers[k++] = (nc_ncs_handler_t){ serves[s].fx, h->scope, serves[s].fn, NULL };
	}
	return k;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9' || v > UINT64_MAX / 10 - 1)
			return false;
		v = v * 10 + (uint64_t)(*c - '0');
	}
	*out = v;
	return *s != 0;
}

static bool parse_limits(int argc, char **argv, nc_ncs_limits_t *l)
{
	for (int i = 2; i < argc; i += 2) {
		uint64_t v;
		if (i + 1 >= argc || !parse_u64(argv[i + 1], &v))
			return false;
		if (!nc_str_compare(argv[i], "--max-steps"))
			l->max_steps = v;
		else if (!nc_str_compare(argv[i], "--max-alloc"))
			l->max_alloc_bytes = v;
		else if (!nc_str_compare(argv[i], "--deadline-ms"))
			l->deadline_micros = v * 1000;
		else if (!nc_str_compare(argv[i], "--max-depth") && v <= UINT32_MAX)
			l->max_call_depth = (uint32_t)v;
		else
			return false;
	}
	return true;
}

/* Default limits on NexaCore: generous for real scripts, but a runaway script
 * ends by itself even if nobody presses Ctrl-C. */
static const nc_ncs_limits_t default_limits = {
	.max_steps = 200000000, .max_alloc_bytes = 32u << 20, .deadline_micros = 60000000,
	.max_call_depth = 256,
};

int main(const char *arg, size_t arg_len)
{
	static char words[NC_SYS_ARG_MAX + 1];
	char *argv[MAX_ARGS + 1];
	int argc;
	nc_ncs_config_t cfg = { .alloc = nc_heap_realloc, .clock = nc_clock_micros, .limits = default_limits };
	if (nc_args_split(arg, arg_len, words, sizeof words, argv + 1, MAX_ARGS - 1, &argc) ||
	    argc < 1 || !parse_limits(argc + 1, argv, &cfg.limits)) {
		nc_print("usage: ncs FILE [--max-steps N] [--max-alloc BYTES] [--deadline-ms N] "
			 "[--max-depth N]\n");
		return EXIT_USAGE;
	}
	const char *file = argv[1];
	size_t len;
	nc_sys_err_t serr = read_file(file, nc_str_len(file), src, sizeof src, &len);
	if (serr) {
		nc_print("ncs: cannot read %s: %s\n", file, nc_sys_err_name(serr));
		return EXIT_USAGE;
	}
	cfg.handlers = handlers;
	cfg.n_handlers = install_handlers();
	nc_ncs_result_t r;
	nc_ncs_err_t err = nc_ncs_run(&cfg, file, src, len, &r);
	if (r.output_len)
		nc_stdout_write(r.output, r.output_len);
	if (!err && r.value && r.kind != NC_NCS_VAL_UNIT) { /* whole: a value can be longer than nc_print's buffer */
		nc_stdout_write("=> ", 3);
		nc_stdout_write(r.value, r.value_len);
		nc_stdout_write("\n", 1);
	}
	if (err)
		nc_print("%s", r.message ? r.message : nc_ncs_err_name(err));
	nc_ncs_result_fini(&cfg, &r);
	return nc_ncs_exit_status(err);
}

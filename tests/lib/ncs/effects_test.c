/* Capabilities: deny by default, declared AND granted, hierarchical scopes
 * checked before any handler runs, inert effect values without a handler. */
#include "ncs_test_support.h"
#include <nc/mem.h>

static int calls;
static char last_path[256];
static nc_ncs_effect_t last_fx;

static nc_ncs_err_t fake_fs(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n,
			    nc_ncs_reply_t *reply, const char **message)
{
	(void)ud;
	calls++;
	last_fx = fx;
	size_t l = args[0].len_bytes < sizeof last_path - 1 ? args[0].len_bytes : sizeof last_path - 1;
	nc_mem_copy(last_path, args[0].ptr, l);
	last_path[l] = 0;
	if (fx == NC_NCS_FX_FS_LIST || fx == NC_NCS_FX_AI_STREAM) {
		nc_ncs_reply_text(reply, "a.txt", 5);
		return nc_ncs_reply_text(reply, "b.txt", 5);
	}
	if (fx == NC_NCS_FX_FS_WRITE)
		return n == 2 ? NC_NCS_OK : NC_NCS_ERR_EFFECT;
	if (nc_str_starts_with(last_path, "/etc/nexacore/binary"))
		return nc_ncs_reply_text(reply, "\xff\xfe", 2);
	if (nc_str_starts_with(last_path, "/etc/nexacore/missing")) {
		*message = "no such file";
		return NC_NCS_ERR_EFFECT;
	}
	return nc_ncs_reply_text(reply, "contents", 8);
}

static nc_ncs_handler_t handlers[6];

static void install(nc_ncs_effect_t fx, const char *scope)
{
	handlers[nt_cfg.n_handlers].fx = fx;
	handlers[nt_cfg.n_handlers].scope = scope;
	handlers[nt_cfg.n_handlers].fn = fake_fs;
	handlers[nt_cfg.n_handlers].ud = NULL;
	nt_cfg.handlers = handlers;
	nt_cfg.n_handlers++;
	calls = 0;
}

#define HDR "#![capabilities(fs.read(\"/etc/nexacore\"), fs.list(\"/etc/nexacore\"), fs.write(\"/tmp/out\"))]\n"

NC_TEST(ncs_fx, handler_reads_inside_scope)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/etc/nexacore");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/notes/a.txt\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"contents\"");
	NC_CHECK_EQ(calls, 1);
	NC_CHECK_STR(last_path, "/etc/nexacore/notes/a.txt");
	nt_reset();
}

NC_TEST(ncs_fx, handler_gets_normalised_path)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/etc/nexacore");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/./x/../notes//a.txt\") }"), NC_NCS_OK);
	NC_CHECK_STR(last_path, "/etc/nexacore/notes/a.txt");
	nt_reset();
}

NC_TEST(ncs_fx, undeclared_path_denied_before_io)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/passwd\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore2/x\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/../passwd\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/../../../..\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"relative/path\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(calls, 0);
	NC_CHECK(nt_contains(nt_result.message, "[NC_NCS_ERR_CAP_DENIED]"));
	nt_reset();
}

NC_TEST(ncs_fx, no_header_denies_everything)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/");
	NC_CHECK_EQ(nt_run("fn main() { fs::read(\"/etc/nexacore/a\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run("fn main() { net::connect(\"example.org:443\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run("fn main() { ai::invoke(\"m\", \"p\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(calls, 0);
	nt_reset();
}

NC_TEST(ncs_fx, host_grant_narrower_than_declaration)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/etc/nexacore/public");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/secret\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "host does not grant"));
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/public/a\") }"), NC_NCS_OK);
	NC_CHECK_EQ(calls, 1);
	nt_reset();
}

NC_TEST(ncs_fx, other_effect_declared_is_not_enough)
{
	nt_reset();
	install(NC_NCS_FX_FS_WRITE, "/");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::write(\"/etc/nexacore/a\", \"x\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::write(\"/tmp/out/a\", \"x\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "()");
	nt_reset();
}

/* fs::append, fs::remove and fs::mkdir are behind fs.write: its declaration covers them, each
 * reaches its own handler with the normalised path, nothing else declares them. */
NC_TEST(ncs_fx, append_remove_mkdir_behind_fs_write)
{
	nt_reset();
	install(NC_NCS_FX_FS_APPEND, "/tmp");
	install(NC_NCS_FX_FS_REMOVE, "/tmp");
	install(NC_NCS_FX_FS_MKDIR, "/tmp/out/d");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::append(\"/tmp/out/x/../log\", \"line\") }"), NC_NCS_OK);
	NC_CHECK(calls == 1 && last_fx == NC_NCS_FX_FS_APPEND);
	NC_CHECK_STR(last_path, "/tmp/out/log");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::remove(\"/tmp/out/log\") }"), NC_NCS_OK);
	NC_CHECK(calls == 2 && last_fx == NC_NCS_FX_FS_REMOVE);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::mkdir(\"/tmp/out/d\") }"), NC_NCS_OK);
	NC_CHECK(calls == 3 && last_fx == NC_NCS_FX_FS_MKDIR);
	/* outside the header's fs.write scope, outside the host's handler, `..` out of it */
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::append(\"/etc/nexacore/a\", \"x\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::mkdir(\"/tmp/out/e\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "the host does not grant fs.write(\"/tmp/out/e\")"));
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::remove(\"/tmp/out/../x\") }"), NC_NCS_ERR_CAP_DENIED);
	/* fs.read and fs.list declare nothing of them */
	NC_CHECK_EQ(nt_run("#![capabilities(fs.read(\"/tmp\"), fs.list(\"/tmp\"))]\n"
			   "fn main() { fs::remove(\"/tmp/out/log\") }"), NC_NCS_ERR_CAP_DENIED);
	NC_CHECK(nt_contains(nt_result.message, "capability fs.write(\"/tmp/out/log\") is not declared"));
	NC_CHECK_EQ(calls, 3);
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::append(\"/tmp/out/a\", 5) }"), NC_NCS_ERR_TYPE);
	nt_reset();
}

NC_TEST(ncs_fx, list_collects_array)
{
	nt_reset();
	install(NC_NCS_FX_FS_LIST, "/etc");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::list(\"/etc/nexacore\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[\"a.txt\", \"b.txt\"]");
	nt_reset();
}

NC_TEST(ncs_fx, ai_stream_collects_and_transcribe_is_its_own_effect)
{
	nt_reset();
	install(NC_NCS_FX_AI_STREAM, "tiny");
	NC_CHECK_EQ(nt_run("#![capabilities(ai.stream(\"tiny\"))]\nfn main() { ai::stream(\"tiny\", \"hi\") }"),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[\"a.txt\", \"b.txt\"]");
	nt_reset();
	install(NC_NCS_FX_AI_TRANSCRIBE, "asr");
	NC_CHECK_EQ(nt_run("#![capabilities(ai.transcribe(\"asr\"))]\nfn main() { ai::transcribe(\"asr\", \"/a.wav\") }"),
		    NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"contents\"");
	NC_CHECK_EQ(nt_run("#![capabilities(ai.invoke(\"asr\"))]\nfn main() { ai::transcribe(\"asr\", \"/a.wav\") }"),
		    NC_NCS_ERR_CAP_DENIED);
	nt_reset();
}

NC_TEST(ncs_fx, handler_failure_is_typed)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/etc/nexacore");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/missing\") }"), NC_NCS_ERR_EFFECT);
	NC_CHECK(nt_contains(nt_result.message, "fs.read failed: no such file"));
	nt_reset();
}

NC_TEST(ncs_fx, reply_must_be_utf8)
{
	nt_reset();
	install(NC_NCS_FX_FS_READ, "/etc/nexacore");
	NC_CHECK_EQ(nt_run(HDR "fn main() { fs::read(\"/etc/nexacore/binary\") }"), NC_NCS_ERR_EFFECT);
	NC_CHECK(nt_contains(nt_result.message, "invalid UTF-8"));
	nt_reset();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fx, inert_values_without_handler)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect, ai.invoke(\"llama\"))]\n"
			   "fn main() { [net::connect(\"x\"), ai::invoke(\"llama\", \"hi\")] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[<effect net.connect(\"x\")>, <effect ai.invoke(\"llama\", \"hi\")>]");
	/* name scopes are exact */
	NC_CHECK_EQ(nt_run("#![capabilities(ai.invoke(\"llama\"))]\nfn main() { ai::invoke(\"gpt\", \"hi\") }"),
		    NC_NCS_ERR_CAP_DENIED);
	nt_reset();
}

NC_TEST(ncs_fx, effect_args_must_be_strings)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect)]\nfn main() { net::connect(5) }"), NC_NCS_ERR_TYPE);
	nt_reset();
}

NC_TEST(ncs_fx, effect_names)
{
	NC_CHECK_STR(nc_ncs_effect_name(NC_NCS_FX_FS_READ), "fs.read");
	NC_CHECK_STR(nc_ncs_effect_name(NC_NCS_FX_AGENT_TASK), "agent.task");
	NC_CHECK_STR(nc_ncs_effect_name(NC_NCS_FX_FS_APPEND), "fs.write");
	NC_CHECK_STR(nc_ncs_effect_name(NC_NCS_FX_FS_MKDIR), "fs.write");
	NC_CHECK_STR(nc_ncs_effect_name(NC_NCS_FX_AI_TRANSCRIBE), "ai.transcribe");
	NC_CHECK(nc_ncs_effect_name(NC_NCS_FX_COUNT) == NULL);
}

NC_TEST(ncs_fx, print_needs_no_capability)
{
	nt_reset();
	NC_CHECK_EQ(nt_run("fn main() { print(1); }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.output, "1\n");
	nt_reset();
}

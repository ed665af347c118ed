/* Error reports shared by nc-ai's commands (cli.h). */
#include <stdio.h>

#include "cli.h"
#include "host_env.h"

#define NAME_SHOWN_MAX 64  /* bytes of a (file-chosen) name printed */

/* The value as the file has it, bytes outside printable ASCII as \xHH. */
static void print_pre(const char *path, nc_ai_err_t e, nc_gguf_str_t pre)
{
	fprintf(stderr, "nc-ai: %s: %s: tokenizer.ggml.pre = \"", path, nc_ai_err_name(e));
	for (size_t i = 0; i < pre.len_bytes && i < NAME_SHOWN_MAX; i++) {
		unsigned char c = (unsigned char)pre.ptr[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\" is not implemented by this engine (docs/ai-engine.md lists the names it accepts)\n");
}

int nc_ai_cli_open_failed(const char *path, const void *image, size_t len, nc_ai_err_t e, nc_gguf_err_t ge)
{
	if (e == NC_AI_ERR_FORMAT) {
		fprintf(stderr, "nc-ai: %s: %s (%s)\n", path, nc_ai_err_name(e), nc_gguf_err_name(ge));
		return 1;
	}
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_gguf_file_t f;
	nc_gguf_str_t pre;
	if (e != NC_AI_ERR_PRETOKENIZER || nc_gguf_open(image, len, &a, &f) != NC_GGUF_OK) {
		fprintf(stderr, "nc-ai: %s: %s\n", path, nc_ai_err_name(e));
		return 1;
	}
	if (nc_gguf_get_str(&f, "tokenizer.ggml.pre", &pre) != NC_GGUF_OK)
		fprintf(stderr, "nc-ai: %s: %s: tokenizer.ggml.pre is missing (llama.cpp then uses its \"default\" "
		        "pre-tokenizer, which this engine does not implement)\n", path, nc_ai_err_name(e));
	else
		print_pre(path, e, pre);
	nc_gguf_close(&f);
	return 1;
}

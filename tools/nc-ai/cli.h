/* Pieces nc-ai's command files share (main.c, bench.c). */
#ifndef NC_AI_CLI_H
#define NC_AI_CLI_H

#include <stddef.h>

#include <nc/ai.h>

/* Report on stderr why opening the model at path (image[0..len)) failed with
 * e (ge: the GGUF reader's error for NC_AI_ERR_FORMAT): the error's name,
 * and for NC_AI_ERR_PRETOKENIZER the tokenizer.ggml.pre value at fault.
 * Returns 1, nc-ai's exit status for an engine error. */
int nc_ai_cli_open_failed(const char *path, const void *image, size_t len, nc_ai_err_t e, nc_gguf_err_t ge);

/* argv: the words after "bench". Returns the exit status (2: usage). */
int nc_ai_cmd_bench(int argc, char **argv);

#endif

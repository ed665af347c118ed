/* Test helpers (host): the PyTorch reference files written by
 * tools/models/train.py, and opening a committed model with the host
 * environment of tools/nc-ai. */
#ifndef NC_AI_REF_HOST_H
#define NC_AI_REF_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nc/ai.h>

#include "../../../tools/nc-ai/host_env.h"

#define REF_MAX_PROMPTS 8

typedef struct {
	char *text;              /* the prompt, NUL-terminated */
	size_t text_len;
	int32_t *tokens;         /* the reference tokenizer's ids */
	size_t n_tokens;
	float *logits;           /* [n_tokens][n_vocab] */
	size_t n_vocab;
	int32_t *greedy;         /* greedy continuation */
	size_t n_greedy;
	double *embedding;
	size_t n_embd;
} ref_prompt_t;

typedef struct {
	ref_prompt_t p[REF_MAX_PROMPTS];
	size_t n;
} ref_file_t;

/* Parse path; false on a malformed or missing file. */
bool ref_load(const char *path, ref_file_t *r);
void ref_free(ref_file_t *r);

typedef struct {
	const void *image;
	size_t image_len;
	host_alloc_state_t st;
	nc_ai_alloc_t alloc;
	nc_ai_model_t *m;
} test_model_t;

/* Map and open tools/models/NAME.gguf; false on failure. */
bool test_model_open(const char *name, test_model_t *t);
/* The same for a GGUF at path. */
bool test_model_open_path(const char *path, test_model_t *t);
void test_model_close(test_model_t *t);

#endif

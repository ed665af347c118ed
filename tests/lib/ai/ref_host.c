/* Reader of the tools/models reference files (NAME.ref) (format: see train.py write_ref). */
#include "ref_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool read_ints(FILE *f, size_t n, int32_t **out)
{
	*out = calloc(n ? n : 1, sizeof **out);
	for (size_t i = 0; *out && i < n; i++)
		if (fscanf(f, "%d", &(*out)[i]) != 1)
			return false;
	return *out != NULL;
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

bool ref_load(const char *path, ref_file_t *r)
{
	memset(r, 0, sizeof *r);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char word[32];
	bool ok = true;
	ref_prompt_t *p = NULL;
	char line[256];
	if (!fgets(line, sizeof line, f))  /* the comment line */
		ok = false;
	while (ok && fscanf(f, "%31s", word) == 1) {
		if (!strcmp(word, "end"))
			break;
		if (!strcmp(word, "prompt")) {
			if (r->n == REF_MAX_PROMPTS)
				return fclose(f), false;
			p = &r->p[r->n++];
			size_t n;
			ok = fscanf(f, "%zu", &n) == 1 && (p->text = calloc(n + 1, 1));
			p->text_len = n;
			for (size_t i = 0; ok && i < n; i++) {
				char h[3];
				ok = fscanf(f, " %2c", h) == 1;
				p->text[i] = (char)(hexval(h[0]) << 4 | hexval(h[1]));
			}
		} else if (p && !strcmp(word, "tokens")) {
			ok = fscanf(f, "%zu", &p->n_tokens) == 1 && read_ints(f, p->n_tokens, &p->tokens);
		} else if (p && !strcmp(word, "greedy")) {
			ok = fscanf(f, "%zu", &p->n_greedy) == 1 && read_ints(f, p->n_greedy, &p->greedy);
		} else if (p && !strcmp(word, "greedy_text")) {
			size_t n;
			ok = fscanf(f, "%zu", &n) == 1;  /* for the CLI test; skipped here */
			for (size_t i = 0; ok && i < n; i++) {
				char h[3];
				ok = fscanf(f, " %2c", h) == 1;
			}
		} else if (p && !strcmp(word, "logits")) {
			size_t rows;
			ok = fscanf(f, "%zu %zu", &rows, &p->n_vocab) == 2 && rows == p->n_tokens &&
			     (p->logits = calloc(rows * p->n_vocab, sizeof(float)));
			for (size_t i = 0; ok && i < rows * p->n_vocab; i++)
				ok = fscanf(f, "%f", &p->logits[i]) == 1;
		} else if (p && !strcmp(word, "embedding")) {
			ok = fscanf(f, "%zu", &p->n_embd) == 1 && (p->embedding = calloc(p->n_embd, sizeof(double)));
			for (size_t i = 0; ok && i < p->n_embd; i++)
				ok = fscanf(f, "%lf", &p->embedding[i]) == 1;
		} else {
			ok = false;
		}
	}
	fclose(f);
	if (!ok || r->n == 0)
		ref_free(r);
	return ok && r->n > 0;
}

void ref_free(ref_file_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->p[i].text);
		free(r->p[i].tokens);
		free(r->p[i].logits);
		free(r->p[i].greedy);
		free(r->p[i].embedding);
	}
	memset(r, 0, sizeof *r);
}

bool test_model_open(const char *name, test_model_t *t)
{
	char path[256];
	snprintf(path, sizeof path, "tools/models/%s.gguf", name);
	return test_model_open_path(path, t);
}

bool test_model_open_path(const char *path, test_model_t *t)
{
	memset(t, 0, sizeof *t);
	t->st.fail_after = -1;
	t->alloc = host_alloc(&t->st);
	if (!host_map_file(path, &t->image, &t->image_len))
		return false;
	if (nc_ai_model_open(t->image, t->image_len, &t->alloc, &t->m, NULL) != NC_AI_OK) {
		host_unmap_file(t->image, t->image_len);
		t->image = NULL;
		return false;
	}
	return true;
}

void test_model_close(test_model_t *t)
{
	nc_ai_model_close(t->m);
	if (t->image)
		host_unmap_file(t->image, t->image_len);
	memset(t, 0, sizeof *t);
}

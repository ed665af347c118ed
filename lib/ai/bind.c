/* Binding a GGUF file's tensors to the views a loader computes with, shared
 * by the llama loader (model.c) and the speech model (asr.c): every wanted
 * tensor is checked (presence, shape, type) and a file with tensors nobody
 * asked for is refused, before anything is converted; then the tensors read
 * as floats that are not F32 in place become F32 copies (ai_bind_all). */
#include "ai_int.h"

#include <nc/fmt.h>
#include <nc/mem.h>

static nc_ai_err_t check_tensor(const nc_gguf_file_t *f, const ai_binding_t *b, const nc_gguf_tensor_t **out)
{
	const nc_gguf_tensor_t *t = nc_gguf_find_tensor(f, b->name);
	*out = t;
	if (!t)
		return b->optional ? NC_AI_OK : NC_AI_ERR_MISSING_TENSOR;
	for (uint32_t d = 0; d < NC_GGUF_MAX_DIMS; d++)
		if (t->ne[d] != (d < b->n_dims ? b->ne[d] : 1))
			return NC_AI_ERR_TENSOR_SHAPE;
	switch (t->type) {
	case NC_GGML_F32: case NC_GGML_F16: case NC_GGML_BF16:
		return NC_AI_OK;
	case NC_GGML_Q8_0: case NC_GGML_Q4_0: case NC_GGML_Q2_K: case NC_GGML_Q3_K: case NC_GGML_Q4_K:
	case NC_GGML_Q5_K: case NC_GGML_Q6_K:
		return b->vec ? NC_AI_ERR_TENSOR_TYPE : NC_AI_OK;
	default:
		return NC_AI_ERR_TENSOR_TYPE;
	}
}

/* Does t need an F32 copy? as_floats: the loader reads it as floats. */
static bool needs_copy(const nc_gguf_tensor_t *t, bool as_floats)
{
	return (as_floats && (t->type == NC_GGML_F16 || t->type == NC_GGML_BF16)) ||
	       (t->type == NC_GGML_F32 && ((uintptr_t)t->data & 3));
}

static const uint8_t *convert(ai_copies_t *c, const nc_gguf_tensor_t *t)
{
	size_t bytes = (size_t)t->n_elements * sizeof(float);
	float *dst = c->alloc.alloc(c->alloc.ctx, bytes, 64);
	if (!dst)
		return NULL;
	for (uint64_t i = 0; i < t->n_elements; i++) {
		const uint8_t *p = t->data + i * (t->type == NC_GGML_F32 ? 4 : 2);
		if (t->type == NC_GGML_F32)
			nc_mem_copy(&dst[i], p, 4);
		else if (t->type == NC_GGML_F16)
			dst[i] = ai_f16_to_f32((uint16_t)(p[0] | p[1] << 8));
		else
			dst[i] = ai_bf16_to_f32((uint16_t)(p[0] | p[1] << 8));
	}
	c->ptr[c->n] = dst;
	c->bytes[c->n++] = bytes;
	return (const uint8_t *)dst;
}

static nc_ai_err_t bind(ai_copies_t *c, const ai_binding_t *b, const nc_gguf_tensor_t *t, bool f32_matrices)
{
	const uint8_t *data = t->data;
	nc_ggml_type_t type = t->type;
	if (needs_copy(t, b->vec || f32_matrices)) {
		if (!(data = convert(c, t)))
			return NC_AI_ERR_NOMEM;
		type = NC_GGML_F32;
	}
	if (b->vec) {
		*b->vec = (const float *)(const void *)data;
		return NC_AI_OK;
	}
	uint64_t bb, be;
	nc_gguf_type_layout(type, &bb, &be);
	b->mat->data = data;
	b->mat->type = type;
	b->mat->n_in = (uint32_t)t->ne[0];
	b->mat->n_out = (uint32_t)(t->n_elements / t->ne[0]);
	b->mat->row_bytes = (size_t)(t->ne[0] / be * bb);
	return NC_AI_OK;
}

void ai_binding_add(ai_binding_t *b, size_t *n, const char *name, uint64_t ne0, uint64_t ne1,
                        uint64_t ne2, ai_mat_t *mat, const float **vec)
{
	ai_binding_t *x = &b[(*n)++];
	nc_mem_set(x, 0, sizeof *x);
	nc_fmt_format(x->name, sizeof x->name, "%s", name);
	x->ne[0] = ne0;
	x->ne[1] = ne1;
	x->ne[2] = ne2;
	x->n_dims = vec ? 1 : ne2 ? 3 : 2;
	x->mat = mat;
	x->vec = vec;
}

nc_ai_err_t ai_copies_init(ai_copies_t *c, const nc_ai_alloc_t *a, size_t cap)
{
	nc_mem_set(c, 0, sizeof *c);
	c->alloc = *a;
	c->ptr = a->alloc(a->ctx, cap * sizeof(void *), 16);
	c->bytes = a->alloc(a->ctx, cap * sizeof(size_t), 16);
	c->cap = cap;
	if (c->ptr && c->bytes)
		return NC_AI_OK;
	ai_copies_free(c);
	return NC_AI_ERR_NOMEM;
}

void ai_copies_free(ai_copies_t *c)
{
	const nc_ai_alloc_t *a = &c->alloc;
	for (size_t i = 0; i < c->n; i++)
		a->free(a->ctx, c->ptr[i], c->bytes[i]);
	if (c->ptr)
		a->free(a->ctx, c->ptr, c->cap * sizeof(void *));
	if (c->bytes)
		a->free(a->ctx, c->bytes, c->cap * sizeof(size_t));
	nc_mem_set(c, 0, sizeof *c);
}

nc_ai_err_t ai_bind_all(const nc_gguf_file_t *f, const ai_binding_t *b, size_t n, const nc_gguf_tensor_t **t,
                        bool f32_matrices, ai_copies_t *copies)
{
	nc_ai_err_t e = NC_AI_OK;
	for (size_t i = 0; i < n && !e; i++)
		e = check_tensor(f, &b[i], &t[i]);
	if (!e) {
		/* A tensor we do not know (rope_freqs, biases, ...) would change the
		 * model's output if ignored: refuse rather than compute wrongly. */
		uint64_t known = 0;
		for (size_t i = 0; i < n; i++)
			known += t[i] != NULL;
		if (known != f->n_tensors)
			e = NC_AI_ERR_UNSUPPORTED;
	}
	for (size_t i = 0; i < n && !e; i++)
		if (t[i])
			e = bind(copies, &b[i], t[i], f32_matrices);
	return e;
}

bool ai_loader_args(const void *image, const nc_ai_alloc_t *alloc, void **out, nc_gguf_err_t *gguf_err)
{
	if (out)
		*out = NULL;
	if (gguf_err)
		*gguf_err = NC_GGUF_OK;
	return image && alloc && alloc->alloc && alloc->free && out;
}

nc_ai_err_t ai_open_gguf(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc, nc_gguf_file_t *f,
                         nc_gguf_err_t *gguf_err)
{
	nc_gguf_err_t ge = nc_gguf_open(image, image_bytes, alloc, f);
	if (!ge)
		return NC_AI_OK;
	if (gguf_err)
		*gguf_err = ge;
	return ge == NC_GGUF_ERR_NOMEM ? NC_AI_ERR_NOMEM : NC_AI_ERR_FORMAT;
}

void *ai_zalloc(const nc_ai_alloc_t *a, size_t bytes)
{
	void *p = a->alloc(a->ctx, bytes, 64);
	if (p)
		nc_mem_set(p, 0, bytes);
	return p;
}

void ai_loader_free(nc_ai_alloc_t a, ai_copies_t *copies, void *layers, size_t layers_bytes, nc_gguf_file_t *f,
                    void *obj, size_t obj_bytes)
{
	ai_copies_free(copies);
	if (layers)
		a.free(a.ctx, layers, layers_bytes);
	nc_gguf_close(f);
	a.free(a.ctx, obj, obj_bytes);
}

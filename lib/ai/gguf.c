/* GGUF reader: parses the header, metadata and tensor infos of a memory image
 * (ggml docs/gguf.md, "File Structure"). A cursor walks the image and every
 * read is bounds-checked first; the only allocations are the record arrays
 * and, per array, an index sorted by name (heapsort: O(n log n) comparisons
 * however the names are chosen), which finds duplicate names (neighbours in
 * the index) and serves lookups by binary search. */
#include <nc/gguf.h>
#include <nc/mem.h>
#include <nc/sort.h>

typedef struct {
	const uint8_t *p;
	const uint8_t *end;
} cursor_t;

static const char *const err_names[] = {
	[NC_GGUF_OK] = "ok",
	[NC_GGUF_ERR_TRUNCATED] = "truncated",
	[NC_GGUF_ERR_MAGIC] = "bad magic",
	[NC_GGUF_ERR_VERSION] = "unsupported version",
	[NC_GGUF_ERR_TOO_LARGE] = "count or length too large",
	[NC_GGUF_ERR_VALUE_TYPE] = "bad metadata value type",
	[NC_GGUF_ERR_TENSOR_TYPE] = "unknown tensor type",
	[NC_GGUF_ERR_DIMS] = "bad tensor dimensions",
	[NC_GGUF_ERR_ALIGNMENT] = "bad alignment",
	[NC_GGUF_ERR_BOUNDS] = "tensor data out of bounds",
	[NC_GGUF_ERR_DUPLICATE] = "duplicate name",
	[NC_GGUF_ERR_NOMEM] = "out of memory",
	[NC_GGUF_ERR_NOT_FOUND] = "not found",
	[NC_GGUF_ERR_TYPE_MISMATCH] = "type mismatch",
};

const char *nc_gguf_err_name(nc_gguf_err_t err)
{
	if ((unsigned)err < sizeof err_names / sizeof err_names[0] && err_names[err])
		return err_names[err];
	return "unknown error";
}

/* ggml type table: name, block bytes, block elements (ggml.c type_traits). */
typedef struct {
	const char *name;
	uint32_t block_bytes;
	uint32_t block_elems;
} type_layout_t;

static const type_layout_t layouts[] = {
	[NC_GGML_F32] = {"F32", 4, 1},      [NC_GGML_F16] = {"F16", 2, 1},
	[NC_GGML_Q4_0] = {"Q4_0", 18, 32},  [NC_GGML_Q4_1] = {"Q4_1", 20, 32},
	[NC_GGML_Q5_0] = {"Q5_0", 22, 32},  [NC_GGML_Q5_1] = {"Q5_1", 24, 32},
	[NC_GGML_Q8_0] = {"Q8_0", 34, 32},  [NC_GGML_Q8_1] = {"Q8_1", 36, 32},
	[NC_GGML_Q2_K] = {"Q2_K", 84, 256}, [NC_GGML_Q3_K] = {"Q3_K", 110, 256},
	[NC_GGML_Q4_K] = {"Q4_K", 144, 256}, [NC_GGML_Q5_K] = {"Q5_K", 176, 256},
	[NC_GGML_Q6_K] = {"Q6_K", 210, 256}, [NC_GGML_Q8_K] = {"Q8_K", 292, 256},
	[NC_GGML_I8] = {"I8", 1, 1},        [NC_GGML_I16] = {"I16", 2, 1},
	[NC_GGML_I32] = {"I32", 4, 1},      [NC_GGML_I64] = {"I64", 8, 1},
	[NC_GGML_F64] = {"F64", 8, 1},      [NC_GGML_BF16] = {"BF16", 2, 1},
};

bool nc_gguf_type_layout(uint32_t type, uint64_t *block_bytes, uint64_t *block_elems)
{
	if (type >= sizeof layouts / sizeof layouts[0] || !layouts[type].name)
		return false;
	*block_bytes = layouts[type].block_bytes;
	*block_elems = layouts[type].block_elems;
	return true;
}

const char *nc_gguf_type_name(uint32_t type)
{
	if (type >= sizeof layouts / sizeof layouts[0] || !layouts[type].name)
		return "?";
	return layouts[type].name;
}

static const char *const value_type_names[] = {
	"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64",
};

const char *nc_gguf_value_type_name(uint32_t type)
{
	return type < sizeof value_type_names / sizeof value_type_names[0] ? value_type_names[type] : "?";
}

uint64_t nc_gguf_scalar_bytes(nc_gguf_type_t t)
{
	switch (t) {
	case NC_GGUF_TYPE_UINT8: case NC_GGUF_TYPE_INT8: case NC_GGUF_TYPE_BOOL: return 1;
	case NC_GGUF_TYPE_UINT16: case NC_GGUF_TYPE_INT16: return 2;
	case NC_GGUF_TYPE_UINT32: case NC_GGUF_TYPE_INT32: case NC_GGUF_TYPE_FLOAT32: return 4;
	case NC_GGUF_TYPE_UINT64: case NC_GGUF_TYPE_INT64: case NC_GGUF_TYPE_FLOAT64: return 8;
	default: return 0;
	}
}

static uint64_t load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int64_t nc_gguf_value_i64(nc_gguf_type_t t, const uint8_t *p)
{
	switch (t) {
	case NC_GGUF_TYPE_INT8: return (int8_t)p[0];
	case NC_GGUF_TYPE_INT16: return (int16_t)load_le(p, 2);
	case NC_GGUF_TYPE_INT32: return (int32_t)load_le(p, 4);
	case NC_GGUF_TYPE_INT64: return (int64_t)load_le(p, 8);
	default: return (int64_t)load_le(p, (unsigned)nc_gguf_scalar_bytes(t));
	}
}

double nc_gguf_value_f64(nc_gguf_type_t t, const uint8_t *p)
{
	if (t == NC_GGUF_TYPE_FLOAT32) {
		uint32_t u = (uint32_t)load_le(p, 4);
		float f;
		nc_mem_copy(&f, &u, 4);
		return f;
	}
	if (t == NC_GGUF_TYPE_FLOAT64) {
		uint64_t u = load_le(p, 8);
		double d;
		nc_mem_copy(&d, &u, 8);
		return d;
	}
	return (double)nc_gguf_value_i64(t, p);
}

static bool take(cursor_t *c, uint64_t n, const uint8_t **out)
{
	if ((uint64_t)(c->end - c->p) < n)
		return false;
	*out = c->p;
	c->p += n;
	return true;
}

static nc_gguf_err_t read_u32(cursor_t *c, uint32_t *v)
{
	const uint8_t *p;
	if (!take(c, 4, &p))
		return NC_GGUF_ERR_TRUNCATED;
	*v = (uint32_t)load_le(p, 4);
	return NC_GGUF_OK;
}

static nc_gguf_err_t read_u64(cursor_t *c, uint64_t *v)
{
	const uint8_t *p;
	if (!take(c, 8, &p))
		return NC_GGUF_ERR_TRUNCATED;
	*v = load_le(p, 8);
	return NC_GGUF_OK;
}

static nc_gguf_err_t read_str(cursor_t *c, nc_gguf_str_t *s)
{
	uint64_t n;
	const uint8_t *p;
	nc_gguf_err_t e = read_u64(c, &n);
	if (e)
		return e;
	if (n > (uint64_t)(c->end - c->p))
		return NC_GGUF_ERR_TRUNCATED;
	take(c, n, &p);
	s->ptr = (const char *)p;
	s->len_bytes = n;
	return NC_GGUF_OK;
}

nc_gguf_str_t nc_gguf_next_str(const uint8_t **cursor)
{
	nc_gguf_str_t s;
	s.len_bytes = load_le(*cursor, 8);
	s.ptr = (const char *)*cursor + 8;
	*cursor += 8 + s.len_bytes;
	return s;
}

/* Skip the encoding of one value of type t (not an array), bounds-checked. */
static nc_gguf_err_t skip_value(cursor_t *c, nc_gguf_type_t t)
{
	const uint8_t *p;
	if (t == NC_GGUF_TYPE_STRING) {
		nc_gguf_str_t s;
		return read_str(c, &s);
	}
	uint64_t n = nc_gguf_scalar_bytes(t);
	if (!n)
		return NC_GGUF_ERR_VALUE_TYPE;
	return take(c, n, &p) ? NC_GGUF_OK : NC_GGUF_ERR_TRUNCATED;
}

static nc_gguf_err_t read_kv(cursor_t *c, uint64_t image_bytes, nc_gguf_kv_t *kv)
{
	uint32_t t;
	nc_gguf_err_t e = read_str(c, &kv->key);
	if (!e)
		e = read_u32(c, &t);
	if (e)
		return e;
	if (t > NC_GGUF_TYPE_FLOAT64)
		return NC_GGUF_ERR_VALUE_TYPE;
	kv->type = (nc_gguf_type_t)t;
	kv->elem_type = kv->type;
	kv->n_elems = 1;
	if (t == NC_GGUF_TYPE_ARRAY) {
		uint32_t et;
		if ((e = read_u32(c, &et)) || (e = read_u64(c, &kv->n_elems)))
			return e;
		if (et > NC_GGUF_TYPE_FLOAT64 || et == NC_GGUF_TYPE_ARRAY)
			return NC_GGUF_ERR_VALUE_TYPE;
		kv->elem_type = (nc_gguf_type_t)et;
		/* Every element takes at least one byte: a count beyond the whole
		 * image is nonsense; a smaller one that overruns is a truncation. */
		if (kv->n_elems > image_bytes)
			return NC_GGUF_ERR_TOO_LARGE;
	}
	kv->value = c->p;
	if (kv->elem_type == NC_GGUF_TYPE_STRING) {
		for (uint64_t i = 0; i < kv->n_elems; i++)
			if ((e = skip_value(c, NC_GGUF_TYPE_STRING)))
				return e;
	} else {
		const uint8_t *p;
		uint64_t n = nc_gguf_scalar_bytes(kv->elem_type) * kv->n_elems;
		if (!take(c, n, &p))
			return NC_GGUF_ERR_TRUNCATED;
	}
	kv->value_bytes = (uint64_t)(c->p - kv->value);
	return NC_GGUF_OK;
}

static nc_gguf_err_t read_tensor_info(cursor_t *c, nc_gguf_tensor_t *t)
{
	uint32_t type;
	nc_gguf_err_t e = read_str(c, &t->name);
	if (!e)
		e = read_u32(c, &t->n_dims);
	if (e)
		return e;
	if (t->n_dims == 0 || t->n_dims > NC_GGUF_MAX_DIMS)
		return NC_GGUF_ERR_DIMS;
	uint64_t n = 1;
	for (uint32_t d = 0; d < NC_GGUF_MAX_DIMS; d++) {
		t->ne[d] = 1;
		if (d < t->n_dims && (e = read_u64(c, &t->ne[d])))
			return e;
		if (t->ne[d] == 0 || t->ne[d] > (UINT64_MAX >> 1) / n)
			return NC_GGUF_ERR_DIMS;
		n *= t->ne[d];
	}
	if ((e = read_u32(c, &type)) || (e = read_u64(c, &t->offset)))
		return e;
	uint64_t bb, be;
	if (!nc_gguf_type_layout(type, &bb, &be))
		return NC_GGUF_ERR_TENSOR_TYPE;
	if (t->ne[0] % be)
		return NC_GGUF_ERR_DIMS;
	if (n / be > UINT64_MAX / bb)  /* the byte size would overflow */
		return NC_GGUF_ERR_DIMS;
	t->type = (nc_ggml_type_t)type;
	t->n_elements = n;
	t->size_bytes = n / be * bb;
	return NC_GGUF_OK;
}

/* Byte-wise order of two names, a shorter name before its extensions: <0, 0, >0. */
static int str_order(nc_gguf_str_t a, nc_gguf_str_t b)
{
	uint64_t n = a.len_bytes < b.len_bytes ? a.len_bytes : b.len_bytes;
	int c = nc_mem_compare(a.ptr, b.ptr, (size_t)n);
	return c ? c : (a.len_bytes > b.len_bytes) - (a.len_bytes < b.len_bytes);
}

/* Records whose first member is their name (nc_gguf_kv_t.key, nc_gguf_tensor_t.name). */
_Static_assert(offsetof(nc_gguf_kv_t, key) == 0 && offsetof(nc_gguf_tensor_t, name) == 0,
               "a record's name comes first");
typedef struct {
	const uint8_t *recs;
	size_t stride;
} named_t;

static nc_gguf_str_t name_of(const named_t *r, uint32_t i)
{
	return *(const nc_gguf_str_t *)(const void *)(r->recs + (size_t)i * r->stride);
}

static int by_name(const void *a, const void *b, void *ctx)
{
	return str_order(name_of(ctx, *(const uint32_t *)a), name_of(ctx, *(const uint32_t *)b));
}

static void *alloc_array(const nc_ai_alloc_t *a, uint64_t n, size_t elem)
{
	return n ? a->alloc(a->ctx, (size_t)n * elem, 16) : NULL;
}

/* *index = 0..n-1 sorted by the names of r's records; DUPLICATE when two are equal. */
static nc_gguf_err_t index_names(const nc_ai_alloc_t *a, named_t r, uint64_t n, uint32_t **index)
{
	uint32_t *ix = alloc_array(a, n, sizeof *ix);
	*index = ix;
	if (n && !ix)
		return NC_GGUF_ERR_NOMEM;
	for (uint64_t i = 0; i < n; i++)
		ix[i] = (uint32_t)i;
	nc_sort(ix, (size_t)n, sizeof *ix, by_name, &r);
	for (uint64_t i = 1; i < n; i++)
		if (str_order(name_of(&r, ix[i - 1]), name_of(&r, ix[i])) == 0)
			return NC_GGUF_ERR_DUPLICATE;
	return NC_GGUF_OK;
}

/* The record of r named z (binary search of index[0..n)), or NULL. */
static const void *find_name(named_t r, const uint32_t *index, uint64_t n, const char *z)
{
	nc_gguf_str_t key = {z, nc_str_len(z)};
	uint64_t lo = 0, hi = n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		int c = str_order(name_of(&r, index[mid]), key);
		if (c == 0)
			return r.recs + (size_t)index[mid] * r.stride;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static named_t kv_names(const nc_gguf_file_t *f)
{
	return (named_t){(const uint8_t *)f->kv, sizeof *f->kv};
}

static named_t tensor_names(const nc_gguf_file_t *f)
{
	return (named_t){(const uint8_t *)f->tensors, sizeof *f->tensors};
}

bool nc_gguf_str_eq(nc_gguf_str_t s, const char *z)
{
	size_t n = nc_str_len(z);
	return s.len_bytes == n && nc_mem_compare(s.ptr, z, n) == 0;
}

/* Resolve general.alignment (u32, power of two) from the parsed keys. */
static nc_gguf_err_t find_alignment(const nc_gguf_file_t *f, uint64_t *align)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, "general.alignment");
	*align = NC_GGUF_DEFAULT_ALIGN;
	if (!kv)
		return NC_GGUF_OK;
	if (kv->type != NC_GGUF_TYPE_UINT32)
		return NC_GGUF_ERR_ALIGNMENT;
	uint64_t a = (uint64_t)nc_gguf_value_i64(kv->type, kv->value);
	if (a == 0 || (a & (a - 1)) || a > NC_GGUF_MAX_ALIGN)
		return NC_GGUF_ERR_ALIGNMENT;
	*align = a;
	return NC_GGUF_OK;
}

static nc_gguf_err_t parse_body(nc_gguf_file_t *f, cursor_t *c)
{
	nc_gguf_err_t e;
	for (uint64_t i = 0; i < f->n_kv; i++)
		if ((e = read_kv(c, f->image_bytes, &f->kv[i])))
			return e;
	if ((e = index_names(&f->alloc, kv_names(f), f->n_kv, &f->kv_by_key)) ||
	    (e = find_alignment(f, &f->alignment)))
		return e;
	for (uint64_t i = 0; i < f->n_tensors; i++)
		if ((e = read_tensor_info(c, &f->tensors[i])))
			return e;
	if ((e = index_names(&f->alloc, tensor_names(f), f->n_tensors, &f->tensor_by_name)))
		return e;
	uint64_t pos = (uint64_t)(c->p - f->image);
	f->data_offset = (pos + f->alignment - 1) / f->alignment * f->alignment;
	if (f->n_tensors && f->data_offset > f->image_bytes)
		return NC_GGUF_ERR_TRUNCATED;
	for (uint64_t i = 0; i < f->n_tensors; i++) {
		nc_gguf_tensor_t *t = &f->tensors[i];
		if (t->offset % f->alignment)
			return NC_GGUF_ERR_ALIGNMENT;
		uint64_t room = f->image_bytes - f->data_offset;
		if (t->offset > room || t->size_bytes > room - t->offset)
			return NC_GGUF_ERR_BOUNDS;
		t->data = f->image + f->data_offset + t->offset;
	}
	return NC_GGUF_OK;
}

nc_gguf_err_t nc_gguf_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                           nc_gguf_file_t *out)
{
	nc_gguf_file_t f;
	cursor_t c = {image, (const uint8_t *)image + image_bytes};
	const uint8_t *magic;
	nc_gguf_err_t e;

	nc_mem_set(out, 0, sizeof *out);
	nc_mem_set(&f, 0, sizeof f);
	f.image = image;
	f.image_bytes = image_bytes;
	f.alloc = *alloc;
	if (!take(&c, 4, &magic))
		return NC_GGUF_ERR_TRUNCATED;
	if (nc_mem_compare(magic, "GGUF", 4) != 0)
		return NC_GGUF_ERR_MAGIC;
	if ((e = read_u32(&c, &f.version)))
		return e;
	if (f.version != 2 && f.version != 3)
		return NC_GGUF_ERR_VERSION;
	if ((e = read_u64(&c, &f.n_tensors)) || (e = read_u64(&c, &f.n_kv)))
		return e;
	if (f.n_tensors > NC_GGUF_MAX_TENSORS || f.n_kv > NC_GGUF_MAX_KV)
		return NC_GGUF_ERR_TOO_LARGE;
	f.kv = alloc_array(alloc, f.n_kv, sizeof *f.kv);
	f.tensors = alloc_array(alloc, f.n_tensors, sizeof *f.tensors);
	if ((f.n_kv && !f.kv) || (f.n_tensors && !f.tensors)) {
		nc_gguf_close(&f);
		return NC_GGUF_ERR_NOMEM;
	}
	if ((e = parse_body(&f, &c))) {
		nc_gguf_close(&f);
		return e;
	}
	*out = f;
	return NC_GGUF_OK;
}

static void free_array(const nc_ai_alloc_t *a, void *p, uint64_t n, size_t elem)
{
	if (p)
		a->free(a->ctx, p, (size_t)n * elem);
}

void nc_gguf_close(nc_gguf_file_t *f)
{
	free_array(&f->alloc, f->kv, f->n_kv, sizeof *f->kv);
	free_array(&f->alloc, f->tensors, f->n_tensors, sizeof *f->tensors);
	free_array(&f->alloc, f->kv_by_key, f->n_kv, sizeof *f->kv_by_key);
	free_array(&f->alloc, f->tensor_by_name, f->n_tensors, sizeof *f->tensor_by_name);
	f->kv = NULL;
	f->tensors = NULL;
	f->kv_by_key = NULL;
	f->tensor_by_name = NULL;
}

const nc_gguf_kv_t *nc_gguf_find_kv(const nc_gguf_file_t *f, const char *key)
{
	return find_name(kv_names(f), f->kv_by_key, f->n_kv, key);
}

const nc_gguf_tensor_t *nc_gguf_find_tensor(const nc_gguf_file_t *f, const char *name)
{
	return find_name(tensor_names(f), f->tensor_by_name, f->n_tensors, name);
}

static bool is_int_type(nc_gguf_type_t t)
{
	return t <= NC_GGUF_TYPE_INT32 || t == NC_GGUF_TYPE_UINT64 || t == NC_GGUF_TYPE_INT64;
}

static bool is_signed_type(nc_gguf_type_t t)
{
	return t == NC_GGUF_TYPE_INT8 || t == NC_GGUF_TYPE_INT16 || t == NC_GGUF_TYPE_INT32 ||
	       t == NC_GGUF_TYPE_INT64;
}

nc_gguf_err_t nc_gguf_get_u64(const nc_gguf_file_t *f, const char *key, uint64_t *out)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, key);
	if (!kv)
		return NC_GGUF_ERR_NOT_FOUND;
	if (!is_int_type(kv->type))
		return NC_GGUF_ERR_TYPE_MISMATCH;
	int64_t v = nc_gguf_value_i64(kv->type, kv->value);
	if (is_signed_type(kv->type) && v < 0)
		return NC_GGUF_ERR_TYPE_MISMATCH;
	*out = (uint64_t)v;
	return NC_GGUF_OK;
}

nc_gguf_err_t nc_gguf_get_f32(const nc_gguf_file_t *f, const char *key, float *out)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, key);
	if (!kv)
		return NC_GGUF_ERR_NOT_FOUND;
	if (kv->type != NC_GGUF_TYPE_FLOAT32 && kv->type != NC_GGUF_TYPE_FLOAT64)
		return NC_GGUF_ERR_TYPE_MISMATCH;
	*out = (float)nc_gguf_value_f64(kv->type, kv->value);
	return NC_GGUF_OK;
}

nc_gguf_err_t nc_gguf_get_bool(const nc_gguf_file_t *f, const char *key, bool *out)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, key);
	if (!kv)
		return NC_GGUF_ERR_NOT_FOUND;
	if (kv->type != NC_GGUF_TYPE_BOOL)
		return NC_GGUF_ERR_TYPE_MISMATCH;
	*out = kv->value[0] != 0;
	return NC_GGUF_OK;
}

nc_gguf_err_t nc_gguf_get_str(const nc_gguf_file_t *f, const char *key, nc_gguf_str_t *out)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, key);
	if (!kv)
		return NC_GGUF_ERR_NOT_FOUND;
	if (kv->type != NC_GGUF_TYPE_STRING)
		return NC_GGUF_ERR_TYPE_MISMATCH;
	const uint8_t *cur = kv->value;
	*out = nc_gguf_next_str(&cur);
	return NC_GGUF_OK;
}

nc_gguf_err_t nc_gguf_get_array(const nc_gguf_file_t *f, const char *key, nc_gguf_type_t elem_type,
                                const nc_gguf_kv_t **kv_out)
{
	const nc_gguf_kv_t *kv = nc_gguf_find_kv(f, key);
	if (!kv)
		return NC_GGUF_ERR_NOT_FOUND;
	if (kv->type != NC_GGUF_TYPE_ARRAY || kv->elem_type != elem_type)
		return NC_GGUF_ERR_TYPE_MISMATCH;
	*kv_out = kv;
	return NC_GGUF_OK;
}

/* GGUF reader tests on images built byte by byte here from the format
 * description (ggml docs/gguf.md): every metadata value type, arrays,
 * alignment, tensor infos, and each malformed-file error. Freestanding-clean:
 * memory comes from a static arena. */
#include <nc/gguf.h>
#include <nc/mem.h>
#include <nc_test.h>

/* ---- a bump allocator over a static arena, with failure injection ---- */

static uint8_t arena[1 << 20];
static size_t arena_used;
static long fail_at = -1, n_allocs;

static void *arena_alloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	if (fail_at >= 0 && n_allocs >= fail_at)
		return NULL;
	n_allocs++;
	size_t at = (arena_used + align - 1) & ~(align - 1);
	if (at + size > sizeof arena)
		return NULL;
	arena_used = at + size;
	return arena + at;
}

static void arena_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)p;
	(void)size;
}

static const nc_ai_alloc_t alloc = {NULL, arena_alloc, arena_free};

static void reset_arena(void)
{
	arena_used = 0;
	fail_at = -1;
	n_allocs = 0;
}

/* ---- an image writer ---- */

typedef struct {
	uint8_t b[4096];
	size_t n;
} img_t;

static void put(img_t *m, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		m->b[m->n++] = (uint8_t)(v >> (8 * i));
}

static void put_str(img_t *m, const char *s)
{
	size_t n = nc_str_len(s);
	put(m, n, 8);
	nc_mem_copy(m->b + m->n, s, n);
	m->n += n;
}

static void header(img_t *m, uint32_t version, uint64_t n_tensors, uint64_t n_kv)
{
	m->n = 0;
	nc_mem_copy(m->b, "GGUF", 4);
	m->n = 4;
	put(m, version, 4);
	put(m, n_tensors, 8);
	put(m, n_kv, 8);
}

static void kv_u32(img_t *m, const char *key, uint32_t v)
{
	put_str(m, key);
	put(m, NC_GGUF_TYPE_UINT32, 4);
	put(m, v, 4);
}

static void tensor_info(img_t *m, const char *name, uint32_t n_dims, const uint64_t *ne, uint32_t type,
                        uint64_t offset)
{
	put_str(m, name);
	put(m, n_dims, 4);
	for (uint32_t d = 0; d < n_dims; d++)
		put(m, ne[d], 8);
	put(m, type, 4);
	put(m, offset, 8);
}

static void pad_to(img_t *m, size_t align)
{
	while (m->n % align)
		m->b[m->n++] = 0;
}

static nc_gguf_err_t parse(const img_t *m, nc_gguf_file_t *f)
{
	reset_arena();
	return nc_gguf_open(m->b, m->n, &alloc, f);
}

/* A valid file: two keys, two tensors (F32 [4,2] and Q8_0 [32]). */
static void build_valid(img_t *m)
{
	static const uint64_t ne_a[] = {4, 2}, ne_b[] = {32};
	header(m, 3, 2, 2);
	kv_u32(m, "general.alignment", 64);
	put_str(m, "general.name");
	put(m, NC_GGUF_TYPE_STRING, 4);
	put_str(m, "tiny");
	tensor_info(m, "a", 2, ne_a, NC_GGML_F32, 0);
	tensor_info(m, "b", 1, ne_b, NC_GGML_Q8_0, 64);
	pad_to(m, 64);
	for (int i = 0; i < 8; i++)
		put(m, 0x3f800000u + (uint32_t)i, 4);  /* 1.0f and neighbours */
	pad_to(m, 64);
	for (int i = 0; i < 34; i++)
		put(m, (uint64_t)i, 1);
}

NC_TEST(gguf, parses_header_kv_and_tensors)
{
	img_t m;
	nc_gguf_file_t f;
	build_valid(&m);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_OK);
	NC_CHECK_EQ(f.version, 3);
	NC_CHECK_EQ(f.n_kv, 2);
	NC_CHECK_EQ(f.n_tensors, 2);
	NC_CHECK_EQ(f.alignment, 64);
	NC_CHECK_EQ(f.data_offset % 64, 0);
	const nc_gguf_tensor_t *a = nc_gguf_find_tensor(&f, "a"), *b = nc_gguf_find_tensor(&f, "b");
	NC_CHECK(a && b);
	NC_CHECK_EQ(a->n_dims, 2);
	NC_CHECK_EQ(a->ne[0], 4);
	NC_CHECK_EQ(a->ne[1], 2);
	NC_CHECK_EQ(a->ne[2], 1);
	NC_CHECK_EQ(a->n_elements, 8);
	NC_CHECK_EQ(a->size_bytes, 32);
	NC_CHECK_EQ(a->data - m.b, f.data_offset);
	NC_CHECK_EQ(a->data[0], 0x00);
	NC_CHECK_EQ(a->data[3], 0x3f);
	NC_CHECK_EQ(b->size_bytes, 34);
	NC_CHECK_EQ(b->data - m.b, f.data_offset + 64);
	NC_CHECK_EQ(b->data[33], 33);
	nc_gguf_str_t s;
	NC_CHECK_EQ(nc_gguf_get_str(&f, "general.name", &s), NC_GGUF_OK);
	NC_CHECK(nc_gguf_str_eq(s, "tiny"));
	NC_CHECK(nc_gguf_find_tensor(&f, "c") == NULL);
	uint64_t u;
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "missing", &u), NC_GGUF_ERR_NOT_FOUND);
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "general.name", &u), NC_GGUF_ERR_TYPE_MISMATCH);
	nc_gguf_close(&f);
}

NC_TEST(gguf, every_value_type)
{
	img_t m;
	nc_gguf_file_t f;
	header(&m, 2, 0, 14);
	static const struct { const char *k; uint32_t t; uint64_t v; unsigned n; } sc[] = {
		{"u8", NC_GGUF_TYPE_UINT8, 200, 1},         {"i8", NC_GGUF_TYPE_INT8, 0xfe, 1},
		{"u16", NC_GGUF_TYPE_UINT16, 60000, 2},     {"i16", NC_GGUF_TYPE_INT16, 0xfffd, 2},
		{"u32", NC_GGUF_TYPE_UINT32, 4000000000u, 4}, {"i32", NC_GGUF_TYPE_INT32, 0xfffffffcu, 4},
		{"f32", NC_GGUF_TYPE_FLOAT32, 0x40490fdbu, 4}, {"bool", NC_GGUF_TYPE_BOOL, 1, 1},
		{"u64", NC_GGUF_TYPE_UINT64, 0xffffffffffffffffull, 8},
		{"i64", NC_GGUF_TYPE_INT64, 0xfffffffffffffffbull, 8},
		{"f64", NC_GGUF_TYPE_FLOAT64, 0x4005bf0a8b145769ull, 8},  /* e */
	};
	for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) {
		put_str(&m, sc[i].k);
		put(&m, sc[i].t, 4);
		put(&m, sc[i].v, sc[i].n);
	}
	put_str(&m, "str");
	put(&m, NC_GGUF_TYPE_STRING, 4);
	put_str(&m, "h\xc3\xa9llo");
	put_str(&m, "arr");
	put(&m, NC_GGUF_TYPE_ARRAY, 4);
	put(&m, NC_GGUF_TYPE_INT16, 4);
	put(&m, 3, 8);
	put(&m, 1, 2);
	put(&m, 0xffff, 2);
	put(&m, 7, 2);
	put_str(&m, "sarr");
	put(&m, NC_GGUF_TYPE_ARRAY, 4);
	put(&m, NC_GGUF_TYPE_STRING, 4);
	put(&m, 2, 8);
	put_str(&m, "x");
	put_str(&m, "");
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_OK);
	NC_CHECK_EQ(f.version, 2);
	NC_CHECK_EQ(f.alignment, NC_GGUF_DEFAULT_ALIGN);
	uint64_t u;
	float x;
	bool b;
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "u8", &u), NC_GGUF_OK);
	NC_CHECK_EQ(u, 200);
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "i8", &u), NC_GGUF_ERR_TYPE_MISMATCH);  /* -2 */
	NC_CHECK_EQ(nc_gguf_value_i64(NC_GGUF_TYPE_INT8, nc_gguf_find_kv(&f, "i8")->value), -2);
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "u16", &u), NC_GGUF_OK);
	NC_CHECK_EQ(u, 60000);
	NC_CHECK_EQ(nc_gguf_value_i64(NC_GGUF_TYPE_INT16, nc_gguf_find_kv(&f, "i16")->value), -3);
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "u32", &u), NC_GGUF_OK);
	NC_CHECK_EQ(u, 4000000000u);
	NC_CHECK_EQ(nc_gguf_value_i64(NC_GGUF_TYPE_INT32, nc_gguf_find_kv(&f, "i32")->value), -4);
	NC_CHECK_EQ(nc_gguf_get_f32(&f, "f32", &x), NC_GGUF_OK);
	NC_CHECK(x > 3.14159f && x < 3.1416f);
	NC_CHECK_EQ(nc_gguf_get_bool(&f, "bool", &b), NC_GGUF_OK);
	NC_CHECK(b);
	NC_CHECK_EQ(nc_gguf_get_u64(&f, "u64", &u), NC_GGUF_OK);
	NC_CHECK(u == 0xffffffffffffffffull);
	NC_CHECK_EQ(nc_gguf_value_i64(NC_GGUF_TYPE_INT64, nc_gguf_find_kv(&f, "i64")->value), -5);
	NC_CHECK_EQ(nc_gguf_get_f32(&f, "f64", &x), NC_GGUF_OK);
	NC_CHECK(x > 2.71828f && x < 2.71829f);
	NC_CHECK_EQ(nc_gguf_get_f32(&f, "u8", &x), NC_GGUF_ERR_TYPE_MISMATCH);
	NC_CHECK_EQ(nc_gguf_get_bool(&f, "u8", &b), NC_GGUF_ERR_TYPE_MISMATCH);
	nc_gguf_str_t s;
	NC_CHECK_EQ(nc_gguf_get_str(&f, "str", &s), NC_GGUF_OK);
	NC_CHECK_EQ(s.len_bytes, 6);
	const nc_gguf_kv_t *kv;
	NC_CHECK_EQ(nc_gguf_get_array(&f, "arr", NC_GGUF_TYPE_INT16, &kv), NC_GGUF_OK);
	NC_CHECK_EQ(kv->n_elems, 3);
	NC_CHECK_EQ(nc_gguf_value_i64(NC_GGUF_TYPE_INT16, kv->value + 2), -1);
	NC_CHECK_EQ(nc_gguf_get_array(&f, "arr", NC_GGUF_TYPE_INT32, &kv), NC_GGUF_ERR_TYPE_MISMATCH);
	NC_CHECK_EQ(nc_gguf_get_array(&f, "sarr", NC_GGUF_TYPE_STRING, &kv), NC_GGUF_OK);
	const uint8_t *cur = kv->value;
	NC_CHECK(nc_gguf_str_eq(nc_gguf_next_str(&cur), "x"));
	NC_CHECK(nc_gguf_str_eq(nc_gguf_next_str(&cur), ""));
	nc_gguf_close(&f);
}

NC_TEST(gguf, every_truncation_is_an_error)
{
	img_t m, cut;
	nc_gguf_file_t f;
	build_valid(&m);
	for (size_t len = 0; len < m.n; len++) {
		cut = m;
		cut.n = len;
		nc_gguf_err_t e = parse(&cut, &f);
		NC_CHECK(e == NC_GGUF_ERR_TRUNCATED || e == NC_GGUF_ERR_BOUNDS);
	}
}

NC_TEST(gguf, header_errors)
{
	img_t m;
	nc_gguf_file_t f;
	build_valid(&m);
	m.b[0] = 'X';
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_MAGIC);
	build_valid(&m);
	m.b[4] = 1;
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_VERSION);
	m.b[4] = 4;
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_VERSION);
	header(&m, 3, 0, (uint64_t)NC_GGUF_MAX_KV + 1);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_TOO_LARGE);
	header(&m, 3, 1ull << 40, 0);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_TOO_LARGE);
}

NC_TEST(gguf, metadata_errors)
{
	img_t m;
	nc_gguf_file_t f;
	header(&m, 3, 0, 1);  /* unknown value type */
	put_str(&m, "k");
	put(&m, 13, 4);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_VALUE_TYPE);
	header(&m, 3, 0, 1);  /* nested array */
	put_str(&m, "k");
	put(&m, NC_GGUF_TYPE_ARRAY, 4);
	put(&m, NC_GGUF_TYPE_ARRAY, 4);
	put(&m, 1, 8);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_VALUE_TYPE);
	header(&m, 3, 0, 1);  /* array longer than the file */
	put_str(&m, "k");
	put(&m, NC_GGUF_TYPE_ARRAY, 4);
	put(&m, NC_GGUF_TYPE_UINT8, 4);
	put(&m, 1ull << 62, 8);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_TOO_LARGE);
	header(&m, 3, 0, 1);  /* string length past the end */
	put(&m, 0xffffffffffffull, 8);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_TRUNCATED);
	header(&m, 3, 0, 2);  /* duplicate key */
	kv_u32(&m, "k", 1);
	kv_u32(&m, "k", 2);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_DUPLICATE);
	header(&m, 3, 0, 1);  /* alignment not a power of two */
	kv_u32(&m, "general.alignment", 48);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_ALIGNMENT);
	header(&m, 3, 0, 1);  /* alignment of the wrong type */
	put_str(&m, "general.alignment");
	put(&m, NC_GGUF_TYPE_UINT64, 4);
	put(&m, 32, 8);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_ALIGNMENT);
}

static nc_gguf_err_t one_tensor(uint32_t n_dims, const uint64_t *ne, uint32_t type, uint64_t offset,
                                size_t data_bytes)
{
	img_t m;
	nc_gguf_file_t f;
	header(&m, 3, 1, 0);
	tensor_info(&m, "t", n_dims, ne, type, offset);
	pad_to(&m, 32);
	for (size_t i = 0; i < data_bytes; i++)
		put(&m, 0, 1);
	nc_gguf_err_t e = parse(&m, &f);
	if (!e)
		nc_gguf_close(&f);
	return e;
}

NC_TEST(gguf, tensor_errors)
{
	static const uint64_t ok[] = {32, 2}, zero[] = {32, 0}, five[] = {1, 1, 1, 1, 1};
	static const uint64_t odd[] = {33}, huge[] = {1ull << 40, 1ull << 40};
	static const uint64_t wrap[] = {1ull << 31, 1ull << 31};  /* 2^62 elements: 2^65 bytes as F64 */
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_F32, 0, 256), NC_GGUF_OK);
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_F32, 0, 255), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_F32, 32, 256), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_F32, 16, 512), NC_GGUF_ERR_ALIGNMENT);
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_F32, 1ull << 63, 256), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, zero, NC_GGML_F32, 0, 0), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(5, five, NC_GGML_F32, 0, 4), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(0, ok, NC_GGML_F32, 0, 4), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(1, odd, NC_GGML_Q8_0, 0, 68), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(2, huge, NC_GGML_F32, 0, 0), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(2, wrap, NC_GGML_F64, 0, 0), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(2, ok, 99, 0, 256), NC_GGUF_ERR_TENSOR_TYPE);
	NC_CHECK_EQ(one_tensor(2, ok, 4, 0, 256), NC_GGUF_ERR_TENSOR_TYPE);  /* removed Q4_2 */
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_Q4_0, 0, 36), NC_GGUF_OK);
	NC_CHECK_EQ(one_tensor(2, ok, NC_GGML_BF16, 0, 128), NC_GGUF_OK);
	/* K-quants: rows of whole 256-element super-blocks (Q6_K 210, Q4_K 144, Q5_K 176 bytes) */
	static const uint64_t k_ok[] = {256, 2}, k_half[] = {128, 2};
	NC_CHECK_EQ(one_tensor(2, k_ok, NC_GGML_Q6_K, 0, 420), NC_GGUF_OK);
	NC_CHECK_EQ(one_tensor(2, k_ok, NC_GGML_Q6_K, 0, 419), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, k_ok, NC_GGML_Q4_K, 0, 288), NC_GGUF_OK);
	NC_CHECK_EQ(one_tensor(2, k_ok, NC_GGML_Q4_K, 0, 287), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, k_ok, NC_GGML_Q5_K, 0, 351), NC_GGUF_ERR_BOUNDS);
	NC_CHECK_EQ(one_tensor(2, k_half, NC_GGML_Q4_K, 0, 288), NC_GGUF_ERR_DIMS);
	NC_CHECK_EQ(one_tensor(2, k_half, NC_GGML_Q6_K, 0, 420), NC_GGUF_ERR_DIMS);
}

NC_TEST(gguf, duplicate_tensor_and_nomem)
{
	img_t m;
	nc_gguf_file_t f;
	static const uint64_t ne[] = {8};
	header(&m, 3, 2, 0);
	tensor_info(&m, "t", 1, ne, NC_GGML_F32, 0);
	tensor_info(&m, "t", 1, ne, NC_GGML_F32, 32);
	pad_to(&m, 32);
	for (int i = 0; i < 64; i++)
		put(&m, 0, 1);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_ERR_DUPLICATE);
	build_valid(&m);
	NC_CHECK_EQ(parse(&m, &f), NC_GGUF_OK);
	long n = n_allocs;  /* records and name index, for keys and for tensors */
	NC_CHECK_EQ(n, 4);
	for (long k = 0; k < n; k++) {
		reset_arena();
		fail_at = k;
		NC_CHECK_EQ(nc_gguf_open(m.b, m.n, &alloc, &f), NC_GGUF_ERR_NOMEM);
		NC_CHECK(f.kv == NULL && f.tensors == NULL && f.kv_by_key == NULL && f.tensor_by_name == NULL);
	}
}

NC_TEST(gguf, type_table)
{
	uint64_t bb, be;
	NC_CHECK(nc_gguf_type_layout(NC_GGML_Q4_0, &bb, &be));
	NC_CHECK_EQ(bb, 18);
	NC_CHECK_EQ(be, 32);
	NC_CHECK(nc_gguf_type_layout(NC_GGML_Q6_K, &bb, &be));
	NC_CHECK_EQ(bb, 210);
	NC_CHECK_EQ(be, 256);
	NC_CHECK(!nc_gguf_type_layout(5, &bb, &be));
	NC_CHECK_STR(nc_gguf_type_name(NC_GGML_BF16), "BF16");
	NC_CHECK_STR(nc_gguf_err_name(NC_GGUF_ERR_BOUNDS), "tensor data out of bounds");
}

/* GGUF reader (ggml docs/gguf.md, versions 2 and 3, little-endian).
 *
 * A GGUF file is read from a memory image (mmap on the host, a loaded module in
 * NexaCore). Nothing is copied: keys, strings, arrays and tensor data are
 * pointers into the image, which must outlive the nc_gguf_file_t. Only the
 * index arrays (one record per key and per tensor) come from the allocator.
 * Every length, count, offset and dimension is checked against the image, so a
 * truncated, oversized, misaligned or inconsistent file gives an error, never
 * an out-of-bounds read. Reentrant; a parsed file is read-only and may be
 * shared between threads. */
#ifndef NC_GGUF_H
#define NC_GGUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nc/ai_env.h>

typedef enum {
	NC_GGUF_OK = 0,
	NC_GGUF_ERR_TRUNCATED,    /* the image ends inside a field */
	NC_GGUF_ERR_MAGIC,        /* does not start with "GGUF" */
	NC_GGUF_ERR_VERSION,      /* version other than 2 or 3 */
	NC_GGUF_ERR_TOO_LARGE,    /* a count or length over NC_GGUF_MAX_* or the image */
	NC_GGUF_ERR_VALUE_TYPE,   /* unknown metadata value type, or nested arrays */
	NC_GGUF_ERR_TENSOR_TYPE,  /* unknown ggml tensor type */
	NC_GGUF_ERR_DIMS,         /* 0 or > 4 dims, a 0 dimension, element count or byte size overflow,
	                           * or a row not a whole number of quantization blocks */
	NC_GGUF_ERR_ALIGNMENT,    /* general.alignment not a power of two (or not u32),
	                           * or a tensor offset not a multiple of it */
	NC_GGUF_ERR_BOUNDS,       /* tensor data outside the image */
	NC_GGUF_ERR_DUPLICATE,    /* the same key or tensor name twice */
	NC_GGUF_ERR_NOMEM,        /* the allocator returned NULL */
	NC_GGUF_ERR_NOT_FOUND,    /* lookup: no such key or tensor */
	NC_GGUF_ERR_TYPE_MISMATCH /* lookup: the key holds another type */
} nc_gguf_err_t;

/* Text for an error code (static storage). */
const char *nc_gguf_err_name(nc_gguf_err_t err);

/* Metadata value types (gguf_metadata_value_type). */
typedef enum {
	NC_GGUF_TYPE_UINT8 = 0, NC_GGUF_TYPE_INT8 = 1, NC_GGUF_TYPE_UINT16 = 2,
	NC_GGUF_TYPE_INT16 = 3, NC_GGUF_TYPE_UINT32 = 4, NC_GGUF_TYPE_INT32 = 5,
	NC_GGUF_TYPE_FLOAT32 = 6, NC_GGUF_TYPE_BOOL = 7, NC_GGUF_TYPE_STRING = 8,
	NC_GGUF_TYPE_ARRAY = 9, NC_GGUF_TYPE_UINT64 = 10, NC_GGUF_TYPE_INT64 = 11,
	NC_GGUF_TYPE_FLOAT64 = 12
} nc_gguf_type_t;

/* ggml tensor types this reader knows the layout of (ggml.h numbering).
 * The engine computes with F32, F16, BF16, Q8_0, Q4_0, Q2_K, Q3_K, Q4_K, Q5_K
 * and Q6_K (the quantized ones for 2-D/3-D weights only); the others are
 * parsed (so `nc-ai info` can list them) but refused by the model loader. */
typedef enum {
	NC_GGML_F32 = 0, NC_GGML_F16 = 1, NC_GGML_Q4_0 = 2, NC_GGML_Q4_1 = 3,
	NC_GGML_Q5_0 = 6, NC_GGML_Q5_1 = 7, NC_GGML_Q8_0 = 8, NC_GGML_Q8_1 = 9,
	NC_GGML_Q2_K = 10, NC_GGML_Q3_K = 11, NC_GGML_Q4_K = 12, NC_GGML_Q5_K = 13,
	NC_GGML_Q6_K = 14, NC_GGML_Q8_K = 15, NC_GGML_I8 = 24, NC_GGML_I16 = 25,
	NC_GGML_I32 = 26, NC_GGML_I64 = 27, NC_GGML_F64 = 28, NC_GGML_BF16 = 30
} nc_ggml_type_t;

#define NC_GGUF_MAX_KV       65536u      /* metadata pairs per file */
#define NC_GGUF_MAX_TENSORS  65536u      /* tensors per file */
#define NC_GGUF_MAX_DIMS     4u
#define NC_GGUF_MAX_ALIGN    65536u
#define NC_GGUF_DEFAULT_ALIGN 32u

/* A string inside the image: not NUL-terminated. */
typedef struct {
	const char *ptr;
	uint64_t len_bytes;
} nc_gguf_str_t;

typedef struct {
	nc_gguf_str_t key;
	nc_gguf_type_t type;
	nc_gguf_type_t elem_type;  /* arrays only */
	uint64_t n_elems;          /* arrays only */
	const uint8_t *value;      /* the encoded value (for arrays: the first element) */
	uint64_t value_bytes;      /* encoded size of the value (for arrays: all elements) */
} nc_gguf_kv_t;

typedef struct {
	nc_gguf_str_t name;
	uint32_t n_dims;
	uint64_t ne[NC_GGUF_MAX_DIMS];  /* ne[0] innermost (contiguous); unused dims are 1 */
	nc_ggml_type_t type;
	uint64_t offset;                /* from the start of the data section */
	uint64_t n_elements;
	uint64_t size_bytes;
	const uint8_t *data;            /* into the image */
} nc_gguf_tensor_t;

typedef struct {
	const uint8_t *image;
	size_t image_bytes;
	uint32_t version;
	uint64_t alignment;
	uint64_t data_offset;       /* start of the tensor data section in the image */
	uint64_t n_kv;
	uint64_t n_tensors;
	nc_gguf_kv_t *kv;           /* n_kv records, from the allocator */
	nc_gguf_tensor_t *tensors;  /* n_tensors records, from the allocator */
	uint32_t *kv_by_key;        /* n_kv indices into kv in byte-wise key order, from the allocator */
	uint32_t *tensor_by_name;   /* n_tensors indices into tensors in name order, from the allocator */
	nc_ai_alloc_t alloc;
} nc_gguf_file_t;

/* Parse image[0..image_bytes). On NC_GGUF_OK fill *out (borrowing from image)
 * and allocate its index with *alloc; release with nc_gguf_close. On error
 * nothing stays allocated and *out is zeroed. Errors: every NC_GGUF_ERR_* except
 * NOT_FOUND and TYPE_MISMATCH. */
nc_gguf_err_t nc_gguf_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                           nc_gguf_file_t *out);
/* Free the index of f (the image is the caller's). Safe on a zeroed file. */
void nc_gguf_close(nc_gguf_file_t *f);

/* Bytes per block and elements per block of a ggml type; false if unknown. */
bool nc_gguf_type_layout(uint32_t type, uint64_t *block_bytes, uint64_t *block_elems);
/* Name of a ggml type ("F32", "Q8_0", ...) or "?" (static storage). */
const char *nc_gguf_type_name(uint32_t type);
/* Name of a metadata value type ("u32", "string", ...) or "?". */
const char *nc_gguf_value_type_name(uint32_t type);

/* True when s equals the NUL-terminated z. */
bool nc_gguf_str_eq(nc_gguf_str_t s, const char *z);

/* Lookups by NUL-terminated name; NULL when absent. Binary searches of the
 * sorted index: O(log n) name comparisons. */
const nc_gguf_kv_t *nc_gguf_find_kv(const nc_gguf_file_t *f, const char *key);
const nc_gguf_tensor_t *nc_gguf_find_tensor(const nc_gguf_file_t *f, const char *name);

/* Typed getters. Integer getters accept any integer type whose value fits
 * (negative values do not fit unsigned); f32 accepts FLOAT32 and FLOAT64.
 * Errors: NC_GGUF_ERR_NOT_FOUND, NC_GGUF_ERR_TYPE_MISMATCH (wrong type or the
 * value does not fit). */
nc_gguf_err_t nc_gguf_get_u64(const nc_gguf_file_t *f, const char *key, uint64_t *out);
nc_gguf_err_t nc_gguf_get_f32(const nc_gguf_file_t *f, const char *key, float *out);
nc_gguf_err_t nc_gguf_get_bool(const nc_gguf_file_t *f, const char *key, bool *out);
nc_gguf_err_t nc_gguf_get_str(const nc_gguf_file_t *f, const char *key, nc_gguf_str_t *out);
/* An array of elem_type: *kv_out is the record (n_elems, value). */
nc_gguf_err_t nc_gguf_get_array(const nc_gguf_file_t *f, const char *key, nc_gguf_type_t elem_type,
                                const nc_gguf_kv_t **kv_out);

/* Element access for a scalar value encoded at p (type t, not STRING/ARRAY):
 * value as signed 64 / unsigned 64 / double. Callers have checked the type. */
int64_t nc_gguf_value_i64(nc_gguf_type_t t, const uint8_t *p);
double nc_gguf_value_f64(nc_gguf_type_t t, const uint8_t *p);
/* Encoded size of one scalar of type t (0 for STRING and ARRAY). */
uint64_t nc_gguf_scalar_bytes(nc_gguf_type_t t);

/* Walk the strings of a STRING array: *cursor starts at kv->value; each call
 * returns the next string and advances. The array was bounds-checked by
 * nc_gguf_open, so this cannot fail while called at most n_elems times. */
nc_gguf_str_t nc_gguf_next_str(const uint8_t **cursor);

#endif

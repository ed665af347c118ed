/* ncScript values and heap objects (value.c): tagged values, reference
 * counted strings, arrays, records and maps, bounded walks, equality and
 * order, text output. Internal to lib/ncs. */
#ifndef NCS_VALUE_H
#define NCS_VALUE_H

#include "state.h"

typedef struct ncs_obj ncs_obj_t;

typedef enum {
	V_UNIT = 0, V_BOOL, V_INT, V_FLOAT, V_FUNC, V_TAG, /* immediates */
	V_STR, V_ARR, V_TUPLE, V_STRUCT, V_VARIANT, V_EFFECT, V_CLOSURE, V_MAP, /* heap */
} ncs_vtag_t;
#define V_HEAP_FIRST V_STR

struct ncs_proto;
typedef struct {
	uint32_t tag;
	uint32_t aux;              /* V_TAG: payload-less variant id */
	union {
		int64_t i;
		double f;
		bool b;
		struct ncs_proto *fn;
		ncs_obj_t *o;
	} u;
} ncs_value_t;

struct ncs_obj {
	uint32_t rc;
	uint16_t kind;             /* ncs_vtag_t of the object */
	uint16_t depth;            /* 1 + deepest child container (bound for recursion) */
};

typedef struct {
	ncs_obj_t h;
	uint32_t len_bytes;
	uint32_t n_chars;
	char bytes[];              /* NUL-terminated for convenience */
} ncs_str_t;

typedef struct {               /* arrays and tuples */
	ncs_obj_t h;
	uint32_t len, cap;
	ncs_value_t *items;
} ncs_arr_t;

/* A walk over two values (equality, order) counts the parts it visits and
 * stops once parts exceeds budget, or when late(ctx) says so (asked every
 * NCS_WALK_CHECK_EVERY parts; it then sets timed_out): a value that shares its
 * parts can be exponentially large as a tree while small in memory ([a, a]
 * forty times), so the VM bounds each walk by the steps left and the deadline
 * and charges the parts visited (ncs_vm_equal, ncs_vm_walk). Inputs known to
 * be small (constants, map keys of at most 1024 parts, scalars) use
 * NCS_WALK_ANY. */
enum { NCS_WALK_CHECK_EVERY = 1 << 16 };
typedef struct {
	uint64_t parts, budget;
	uint64_t next_check;           /* parts at which to ask late() next */
	bool (*late)(void *ctx);       /* NULL: never late */
	void *ctx;
	bool timed_out;
} ncs_walk_t;
#define NCS_WALK_ANY (&(ncs_walk_t){ 0, UINT64_MAX, UINT64_MAX, NULL, NULL, false })

/* Maps (map.c): entries in insertion order, key and value side by side in
 * ent[2i], ent[2i+1]; a removed entry keeps its place with key () until the next
 * rebuild. idx is an open-addressing table (linear probing) of entry numbers + 1
 * (0 empty, all ones a removed entry), with at least twice as many slots as
 * entries, so it is never more than half full. */
typedef struct {
	ncs_obj_t h;
	uint32_t len;              /* live entries */
	uint32_t used;             /* entries ent[0..used), removed ones included */
	uint32_t cap;              /* room for cap entries */
	uint32_t mask;             /* idx has mask + 1 slots (a power of two); 0 when cap is 0 */
	ncs_value_t *ent;
	uint64_t *idx;             /* entry number + 1, and the hash's high half (map.c) */
} ncs_map_t;

struct ncs_struct_def;
typedef struct {               /* structs, variants with payload, effect values, closures */
	ncs_obj_t h;
	uint32_t id;               /* struct def index, variant id, effect, or closure fn index */
	uint32_t n;
	ncs_value_t f[];
} ncs_rec_t;

static inline bool ncs_is_heap(ncs_value_t v) { return v.tag >= V_HEAP_FIRST; }
static inline void ncs_ref(ncs_value_t v) { if (ncs_is_heap(v)) v.u.o->rc++; }
void ncs_obj_release(ncs_state_t *st, ncs_obj_t *o);
static inline void ncs_unref(ncs_state_t *st, ncs_value_t v)
{
	if (ncs_is_heap(v) && --v.u.o->rc == 0)
		ncs_obj_release(st, v.u.o);
}

static inline ncs_value_t ncs_int(int64_t i) { ncs_value_t v = { V_INT, 0, { .i = i } }; return v; }
static inline ncs_value_t ncs_float(double f) { ncs_value_t v = { V_FLOAT, 0, { .f = f } }; return v; }
static inline ncs_value_t ncs_bool(bool b) { ncs_value_t v = { V_BOOL, 0, { .b = b } }; return v; }
static inline ncs_value_t ncs_unit(void) { ncs_value_t v = { V_UNIT, 0, { .i = 0 } }; return v; }
static inline ncs_value_t ncs_obj_val(ncs_obj_t *o) { ncs_value_t v = { o->kind, 0, { .o = o } }; return v; }

/* Builtin variant ids; user enum variants follow. */
enum { NCS_VAR_SOME = 0, NCS_VAR_NONE, NCS_VAR_OK, NCS_VAR_ERR, NCS_VAR_BUILTIN_COUNT };

/* Constructors return false after ncs_fail (NOMEM, LIMIT_ALLOC, VALUE_DEPTH). */
bool ncs_str_new(ncs_state_t *st, const char *bytes, size_t len, ncs_value_t *out);
/* The new string a + b (one allocation; the character count is the sum). */
bool ncs_str_concat(ncs_state_t *st, const ncs_str_t *a, const ncs_str_t *b, ncs_value_t *out);
bool ncs_arr_new(ncs_state_t *st, uint16_t kind, uint32_t cap, ncs_value_t *out);
/* Append v (reference transferred) to the unique array a. */
bool ncs_arr_push(ncs_state_t *st, ncs_arr_t *a, ncs_value_t v);
bool ncs_rec_new(ncs_state_t *st, uint16_t kind, uint32_t id, uint32_t n, ncs_value_t *out);

/* Make *slot's object unique (copy when shared) so it may be mutated. */
bool ncs_make_unique(ncs_state_t *st, ncs_value_t *slot);
/* Recompute a container's depth after a child changed; false + error when too deep. */
bool ncs_note_child(ncs_state_t *st, ncs_obj_t *parent, ncs_value_t child);

uint32_t ncs_utf8_count(const char *s, size_t len);
/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF). Every
 * String value is valid UTF-8: literals and host replies are checked, and the
 * string operations only cut at character boundaries. */
bool ncs_utf8_valid(const char *s, size_t len);
/* Equality; false also when the walk ran over its budget (check w). */
bool ncs_value_equal(ncs_value_t a, ncs_value_t b, ncs_walk_t *w);
/* Total order for sort and < on like values; *ok false for incomparable
 * types; 0 when the walk ran over its budget (check w). */
int ncs_value_compare(ncs_value_t a, ncs_value_t b, bool *ok, ncs_walk_t *w);
const char *ncs_type_name(ncs_value_t v);

/* Text builder over tracked memory. */
typedef struct {
	ncs_state_t *st;
	char *buf;
	size_t len, cap;
	bool failed;
} ncs_buf_t;
void ncs_buf_put(ncs_buf_t *b, const char *s, size_t n);
void ncs_buf_puts(ncs_buf_t *b, const char *s);
/* Display form (print: strings raw) or debug form (quoted strings, `=>`). */
void ncs_value_write(ncs_buf_t *b, ncs_value_t v, bool quoted);
/* Finish the builder into a string value (frees the buffer). */
bool ncs_buf_to_value(ncs_buf_t *b, ncs_value_t *out);
void ncs_buf_free(ncs_buf_t *b);

#endif

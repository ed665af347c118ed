/* ncScript internals shared by the lib/ncs files (not a public header).
 * Prefix: ncs_ for functions shared across files, static helpers unprefixed. */
#ifndef NCS_INT_H
#define NCS_INT_H

#include <nc/ncs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* ---------- run state: allocator, accounting, errors ---------- */

typedef struct ncs_obj ncs_obj_t;

/* One compile+run. All allocation goes through ncs_mem_* so live script bytes
 * are exact; errors are recorded once (the first wins) with a source offset. */
/* One caller of the failing function, for the error message's call trace. */
typedef struct {
	const struct ncs_module *mod;
	uint32_t off;              /* the call's source offset */
	const char *fn; uint32_t fn_len; /* the calling function */
} ncs_trace_entry_t;

#define NCS_TRACE_MAX 8u

typedef struct ncs_state {
	const nc_ncs_config_t *cfg;
	uint64_t live_bytes;       /* bytes of script objects and the VM stack */
	uint64_t peak_bytes;
	bool counting;             /* runtime phase: enforce max_alloc_bytes */
	nc_ncs_err_t err;
	uint32_t err_off;          /* byte offset in err_src */
	const struct ncs_module *err_mod;
	char msg[192];             /* short description of the error */
	ncs_trace_entry_t trace[NCS_TRACE_MAX]; /* innermost caller first */
	uint32_t n_trace;
	uint64_t trace_more;       /* callers left out of trace */
	char *out;                 /* print output */
	size_t out_len, out_cap;
	uint64_t steps;
	struct ncs_program *prog;
} ncs_state_t;

void *ncs_mem_alloc(ncs_state_t *st, size_t n);            /* untracked (compile data) */
void *ncs_mem_realloc(ncs_state_t *st, void *p, size_t old, size_t n);
void ncs_mem_free(ncs_state_t *st, void *p, size_t n);
void *ncs_mem_alloc_tracked(ncs_state_t *st, size_t n);    /* script memory, limit */
void *ncs_mem_realloc_tracked(ncs_state_t *st, void *p, size_t old, size_t n);
void ncs_mem_free_tracked(ncs_state_t *st, void *p, size_t n);

/* Record an error (only the first one sticks; off UINT32_MAX: the VM fills in the
 * current instruction). Returns the recorded error. */
nc_ncs_err_t ncs_vfail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, va_list ap);
nc_ncs_err_t ncs_fail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---------- values ---------- */

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

/* ---------- maps (map.c) ----------
 * Keys are Int, Bool, String, or tuples/arrays of keys; every other key is
 * refused by ncs_map_key_ok. Lookups report their work (*work += 1 per extra
 * probe, per key part hashed and per 32 string bytes hashed or compared) so the
 * callers can charge it as steps: a flood of colliding keys costs steps in
 * proportion to the probing it causes. Int keys are their own hash and a key's
 * first slot is its hash modulo (slots - 1); the other hashes have a fixed
 * seed. So work, and with it step counts, are deterministic. */
bool ncs_map_new(ncs_state_t *st, ncs_value_t *out);
/* Keys have at most this many parts (the key itself, and each tuple or array
 * element, a shared part counting each time it appears), which bounds the work
 * of checking, hashing and comparing a key even for values that share parts. */
#define NCS_MAP_KEY_PARTS_MAX 1024u
/* NC_NCS_OK when k may be a key; NC_NCS_ERR_TYPE with *bad the type name of
 * the offending part; NC_NCS_ERR_VALUE when k has more than
 * NCS_MAP_KEY_PARTS_MAX parts (found after visiting at most that many). */
nc_ncs_err_t ncs_map_key_check(ncs_value_t k, const char **bad);
/* Entry number of key in m, or UINT32_MAX. */
uint32_t ncs_map_find(const ncs_map_t *m, ncs_value_t key, uint64_t *work);
/* Set key to val (both references transferred) in the unique map m. When the
 * key was present *old receives its previous value (reference) and *had is
 * true. False after ncs_fail (NOMEM, LIMIT_ALLOC, VALUE_DEPTH): key and val
 * were released and m is unchanged. */
bool ncs_map_set(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t val, ncs_value_t *old, bool *had,
		 uint64_t *work);
/* Remove key from the unique map m; *had tells whether it was there, and then
 * *old receives its value (reference). Never allocates. */
void ncs_map_remove(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t *old, bool *had, uint64_t *work);
/* Next live entry at or after *pos (advanced past it); false at the end. */
bool ncs_map_next(const ncs_map_t *m, uint32_t *pos, ncs_value_t *key, ncs_value_t *val);
/* Drop every entry and the tables (no allocation). */
void ncs_map_clear(ncs_state_t *st, ncs_map_t *m);
void ncs_map_release(ncs_state_t *st, ncs_map_t *m);
/* A unique copy of m in *out (entries compacted, same order). */
bool ncs_map_copy(ncs_state_t *st, const ncs_map_t *m, ncs_value_t *out, uint64_t *work);
/* Same keys with equal values (order does not matter). */
bool ncs_map_equal(const ncs_map_t *a, const ncs_map_t *b, ncs_walk_t *w);
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

/* ---------- lexer ---------- */

typedef enum {
	T_EOF = 0, T_IDENT, T_INT, T_FLOAT, T_STRING,
	T_FN, T_LET, T_MUT, T_IF, T_ELSE, T_WHILE, T_LOOP, T_FOR, T_IN, T_BREAK,
	T_CONTINUE, T_RETURN, T_MATCH, T_TRUE, T_FALSE, T_STRUCT, T_ENUM, T_PUB, T_USE,
	T_AS, T_CONST,
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET,
	T_COMMA, T_SEMI, T_COLON, T_COLONCOLON, T_DOT, T_DOTDOT, T_DOTDOTEQ,
	T_ARROW, T_FATARROW, T_HASH, T_BANG, T_QUESTION, T_UNDERSCORE,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
	T_EQ, T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_ANDAND, T_OROR, T_PIPE, T_AMP, T_IMPL,
	T_PLUSEQ, T_MINUSEQ, T_STAREQ, T_SLASHEQ, T_PERCENTEQ,
	T_CARET, T_SHL, T_SHR, T_AMPEQ, T_PIPEEQ, T_CARETEQ, T_SHLEQ, T_SHREQ,
} ncs_tok_kind_t;

typedef struct {
	ncs_tok_kind_t kind;
	uint32_t off, len;         /* source bytes */
	int64_t i;                 /* T_INT */
	double f;                  /* T_FLOAT */
	char *str;                 /* T_STRING: unescaped, arena */
	uint32_t str_len;
} ncs_tok_t;

/* ---------- AST (arena allocated) ---------- */

typedef enum {
	N_INT, N_FLOAT, N_STR, N_BOOL, N_UNIT, N_NAME, N_PATH, N_ARRAY, N_TUPLE,
	N_STRUCT_LIT, N_FIELD_INIT, N_UNARY, N_BINARY, N_AND, N_OR, N_ASSIGN,
	N_CALL, N_METHOD, N_FIELD, N_INDEX, N_TRY, N_CAST, N_RANGE,
	N_BLOCK, N_IF, N_IF_LET, N_WHILE, N_WHILE_LET, N_LOOP, N_FOR, N_BREAK, N_CONTINUE,
	N_RETURN, N_MATCH, N_ARM, N_LET, N_EXPR_STMT, N_CLOSURE,
	P_WILD, P_BIND, P_LIT, P_RANGE, P_OR, P_TUPLE, P_VARIANT, P_STRUCT, P_FIELD,
} ncs_node_kind_t;

typedef struct ncs_node ncs_node_t;
struct ncs_node {
	uint8_t kind;
	uint8_t op;                /* token kind of the operator; flags for others */
	uint8_t flag;              /* mut binding, inclusive range, struct `..` rest */
	uint32_t off;              /* source offset for messages */
	ncs_node_t *a, *b, *c, *d;
	ncs_node_t **list;
	uint32_t n;
	const char *name;          /* identifier, path ("a::b"), field or string bytes */
	uint32_t name_len;
	int64_t i;
	double f;
};

/* How a method takes its receiver. */
typedef enum { NCS_SELF_NONE = 0, NCS_SELF_VALUE, NCS_SELF_MUT_REF } ncs_self_kind_t;

typedef struct {
	const char *name; uint32_t name_len;       /* "f", or "Type::f" inside impl Type */
	uint32_t off;
	bool is_pub;
	ncs_node_t **params; uint32_t n_params;   /* P_BIND / patterns */
	ncs_node_t *body;
	const char *impl_of; uint32_t impl_of_len; /* the struct of an impl block, or NULL */
	uint32_t short_off;                       /* "f" is name + short_off */
	uint8_t self_kind;                        /* ncs_self_kind_t: self, &self, &mut self */
} ncs_fn_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t off;
	bool is_pub;
	const char **fields; uint32_t *field_lens; uint32_t n_fields;
} ncs_struct_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t arity;
	uint32_t off;
} ncs_variant_decl_t;

typedef struct {
	const char *name; uint32_t name_len;
	uint32_t off;
	bool is_pub;
	ncs_variant_decl_t *vars; uint32_t n_vars;
} ncs_enum_decl_t;

typedef struct {
	const char *module; uint32_t module_len;   /* "a::b" */
	const char *name; uint32_t name_len;
	uint32_t off;
} ncs_use_decl_t;

typedef struct {
	bool present;
	nc_ncs_effect_t fx;
	const char *scope; uint32_t scope_len;     /* NULL: whole effect */
	uint32_t off;                              /* source offset of the name */
} ncs_cap_decl_t;

/* Arena: chunk list freed at once. */
typedef struct ncs_arena_chunk ncs_arena_chunk_t;
typedef struct {
	ncs_state_t *st;
	ncs_arena_chunk_t *head;
	size_t used, cap;
} ncs_arena_t;
void *ncs_arena_alloc(ncs_arena_t *ar, size_t n);
void ncs_arena_free(ncs_arena_t *ar);

/* One parsed source file. */
typedef struct ncs_module {
	const char *path;          /* module path ("" for the main script) */
	const char *file;
	const char *src; size_t src_len;
	ncs_arena_t arena;
	ncs_fn_decl_t *fns; uint32_t n_fns, cap_fns;
	ncs_struct_decl_t *structs; uint32_t n_structs, cap_structs;
	ncs_enum_decl_t *enums; uint32_t n_enums, cap_enums;
	ncs_use_decl_t *uses; uint32_t n_uses, cap_uses;
	ncs_cap_decl_t *caps; uint32_t n_caps, cap_caps;
	bool has_cap_header;
	uint32_t first_fn;         /* index of fns[0] in the program's function table */
	uint32_t first_struct;     /* index of structs[0] in the program's struct table */
	uint32_t first_var;        /* variant id of enums[0].vars[0] */
	uint8_t mark;              /* module graph walk */
} ncs_module_t;

/* Parse src into m (m->arena must be set up). */
nc_ncs_err_t ncs_parse_module(ncs_state_t *st, ncs_module_t *m);
/* Capability name ("fs.read") -> effect; false when unknown. */
bool ncs_effect_from_name(const char *name, size_t len, nc_ncs_effect_t *out);
/* Per-module capability headers (cap.c). A module's header must fit inside the
 * program's grant: each declaration covered (lib/scope rules) by a declaration
 * of main_mod's header and, when the host installed handlers for the effect, by
 * one handler's scope. Returns false after ncs_fail(NC_NCS_ERR_CAP_DENIED) at
 * the offending declaration of m. main_mod itself is always within. */
bool ncs_cap_check_module(ncs_state_t *st, const ncs_module_t *main_mod, const ncs_module_t *m);
/* True iff m's own header declares fx with a scope covering res[0..len). */
bool ncs_cap_declared(const ncs_module_t *m, nc_ncs_effect_t fx, const char *res, size_t len);
/* Lexer over one module (used by the parser). */
typedef struct {
	ncs_state_t *st;
	ncs_module_t *m;
	const char *src; size_t len;
	size_t pos;
} ncs_lexer_t;
bool ncs_lex_next(ncs_lexer_t *lx, ncs_tok_t *t);

/* ---------- bytecode ---------- */

typedef struct {
	uint16_t op;
	uint16_t a;
	uint32_t b;
} ncs_ins_t;

typedef struct ncs_proto {
	const char *name; uint32_t name_len;
	uint32_t n_caps;           /* closures: captured values (read with LOADCAP) */
	ncs_module_t *mod;
	uint32_t n_params;
	uint32_t n_slots;          /* locals + temporaries, params first */
	uint32_t max_stack;        /* operand stack high-water above the slots */
	ncs_ins_t *code; uint32_t n_code, cap_code;
	uint32_t *offs; uint32_t cap_offs; /* source offset per instruction */
	ncs_value_t *k; uint32_t n_k, cap_k;
} ncs_proto_t;

typedef struct ncs_struct_def {
	const char *name; uint32_t name_len;
	const char **fields; uint32_t *field_lens; uint32_t n_fields;
} ncs_struct_def_t;

typedef struct {
	const char *name; uint32_t name_len;      /* "Shape::Circle" or "Some" */
	uint32_t arity;
} ncs_variant_def_t;

/* Method call sites: the builtin to use for each receiver family. */
typedef struct {
	int16_t for_str, for_arr, for_map;        /* builtin index or -1 */
	uint32_t n_args;                          /* including the receiver */
	const char *name; uint32_t name_len;
	bool user;                                /* some struct has a method of this name */
	uint32_t cache_def, cache_fn;             /* last struct def -> its ncs_method_t index */
} ncs_method_site_t;

/* A method of a struct (impl block): fns[fn] takes the receiver first. */
typedef struct {
	uint32_t struct_def;
	const char *name; uint32_t name_len;      /* short name ("norm") */
	uint32_t fn;
	uint8_t self_kind;                        /* NCS_SELF_VALUE or NCS_SELF_MUT_REF */
} ncs_method_t;

/* Field access sites with a one-entry cache (struct def -> field index). */
typedef struct {
	const char *name; uint32_t name_len;
	uint32_t cache_def, cache_idx;            /* cache_def UINT32_MAX: empty */
} ncs_field_site_t;

typedef struct ncs_program {
	ncs_module_t **mods; uint32_t n_mods;      /* dependency order, main last */
	ncs_proto_t **fns; uint32_t n_fns, cap_fns;
	ncs_struct_def_t *structs; uint32_t n_structs, cap_structs;
	ncs_variant_def_t *vars; uint32_t n_vars, cap_vars;
	ncs_method_site_t *sites; uint32_t n_sites, cap_sites;
	ncs_field_site_t *fsites; uint32_t n_fsites, cap_fsites;
	ncs_method_t *methods; uint32_t n_methods, cap_methods;
	ncs_proto_t *main;
} ncs_program_t;

/* ---------- builtins (pure stdlib and effects) ---------- */

typedef struct ncs_vm ncs_vm_t;
/* args[0..n) are borrowed; *out receives a new reference. For methods args[0] is
 * the receiver place (mutating builtins change it in place). */
typedef bool (*ncs_builtin_fn)(ncs_vm_t *vm, ncs_value_t *args, uint32_t n, ncs_value_t *out);
typedef struct {
	const char *module;        /* "string", "math", "array", "fs", ... */
	const char *name;
	ncs_builtin_fn fn;
	uint8_t min_args, max_args;
	uint8_t mutates;           /* method form changes its receiver */
	uint8_t recv;              /* method receiver family: 0 none, 1 string, 2 array, 3 map */
} ncs_builtin_t;

extern const ncs_builtin_t ncs_builtins[];
extern const uint32_t ncs_n_builtins;
/* Index of module::name in ncs_builtins, or -1. */
int ncs_builtin_find(const char *module, size_t mlen, const char *name, size_t nlen);
int ncs_builtin_find_method(uint8_t recv, const char *name, size_t nlen);

/* Helpers for builtins. */
bool ncs_vm_fail(ncs_vm_t *vm, nc_ncs_err_t err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
ncs_state_t *ncs_vm_state(ncs_vm_t *vm);
/* The module whose code called the running builtin (its capabilities apply). */
const ncs_module_t *ncs_vm_caller_module(ncs_vm_t *vm);
bool ncs_vm_charge(ncs_vm_t *vm, uint64_t steps);
/* A walk (ncs_walk_t) bounded by the steps this run has left plus paid, the
 * parts the caller has charged already (one per element a builtin paid for,
 * one for the instruction). */
ncs_walk_t ncs_vm_walk(ncs_vm_t *vm, uint64_t paid);
/* Charge a finished walk's parts beyond paid as steps; false with the
 * step-limit error when it ran over its budget, the deadline error when the
 * deadline passed during it. */
bool ncs_vm_walked(ncs_vm_t *vm, const ncs_walk_t *w, uint64_t paid);
/* a == b for the VM: false with the step-limit error when the walk runs out. */
bool ncs_vm_equal(ncs_vm_t *vm, ncs_value_t a, ncs_value_t b, bool *eq);
/* Call the script function or closure value fn with args[0..n) (borrowed; they
 * must not point into the VM stack) from inside a builtin: the callee runs to
 * completion in a nested dispatch loop under the run's limits (its instructions
 * count as steps, its frames toward max_call_depth and live bytes, the deadline
 * is checked) and *out receives its result (a new reference). The call may move
 * the VM stack: the calling builtin's args pointer is invalid afterwards.
 * Returns false with the error recorded: NC_NCS_ERR_TYPE (not a function),
 * NC_NCS_ERR_ARGS (arity), NC_NCS_ERR_LIMIT_DEPTH (also when callbacks nest
 * deeper than NCS_VM_CALLBACK_DEPTH_MAX), or whatever the callee raised, which
 * is reported at the callee's instruction with the builtin's caller in the trace. */
bool ncs_vm_call(ncs_vm_t *vm, ncs_value_t fn, const ncs_value_t *args, uint32_t n, ncs_value_t *out);
bool ncs_vm_print(ncs_vm_t *vm, const char *s, size_t n);
/* m[key]: *out receives the value (a new reference); a missing key is
 * NC_NCS_ERR_INDEX, a key of the wrong type NC_NCS_ERR_TYPE (lib_map.c). */
bool ncs_map_index_get(ncs_vm_t *vm, const ncs_map_t *m, ncs_value_t key, ncs_value_t *out);
/* map[key] = val on the map in *slot (copied first when shared); key and val
 * are borrowed. */
bool ncs_map_index_set(ncs_vm_t *vm, ncs_value_t *slot, ncs_value_t key, ncs_value_t val);

/* ---------- compiler, VM, text ---------- */

nc_ncs_err_t ncs_compile_program(ncs_state_t *st, ncs_program_t *p);
void ncs_program_free(ncs_state_t *st, ncs_program_t *p);
nc_ncs_err_t ncs_vm_run(ncs_state_t *st, ncs_program_t *p, ncs_value_t *result);

/* Integer text; returns length (buf >= 21 bytes). */
size_t ncs_format_int(int64_t v, char *buf);

#endif

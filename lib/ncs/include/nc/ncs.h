/* ncScript: a small Rust-flavoured scripting language for untrusted code.
 *
 * Pipeline: lexer -> parser (AST, nesting-limited) -> compiler (stack bytecode
 * with resolved local slots) -> VM (one dispatch loop, heap-allocated frames,
 * so script recursion never grows the C stack). Values are reference counted
 * with copy-on-write value semantics, so no cycles can form and live bytes are
 * exact. The library is freestanding: the embedder supplies the allocator
 * (Lua's lua_Alloc idea) and the clock; the library never calls libc.
 *
 * Usage: fill an nc_ncs_config_t (allocator required, the rest optional), call
 * nc_ncs_run (or nc_ncs_check), read the nc_ncs_result_t, then release it with
 * nc_ncs_result_fini. Every call is reentrant: separate runs share nothing.
 * The language itself is described in docs/ncscript.md. */
#ifndef NC_NCS_H
#define NC_NCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_NCS_OK = 0,
	/* compile errors (nc_ncs_err_class: NC_NCS_CLASS_COMPILE) */
	NC_NCS_ERR_SYNTAX,        /* the source does not lex or parse */
	NC_NCS_ERR_NESTING,       /* source nesting deeper than limits.max_nesting */
	NC_NCS_ERR_RESOLVE,       /* unknown name, assignment to immutable binding, ... */
	NC_NCS_ERR_NO_MAIN,       /* the main module has no `fn main()` */
	NC_NCS_ERR_MODULE,        /* module not found, symbol missing or not `pub` */
	NC_NCS_ERR_MODULE_CYCLE,  /* `use` declarations form a cycle (message names it) */
	NC_NCS_ERR_CAP_DECL,      /* malformed #![capabilities(...)] header */
	/* runtime errors (NC_NCS_CLASS_RUNTIME) */
	NC_NCS_ERR_TYPE,          /* operation on values of the wrong type */
	NC_NCS_ERR_OVERFLOW,      /* Int arithmetic overflowed 64 bits */
	NC_NCS_ERR_DIV_ZERO,      /* Int division or remainder by zero */
	NC_NCS_ERR_INDEX,         /* index out of bounds, pop from empty array */
	NC_NCS_ERR_NO_MATCH,      /* no match arm / refutable let pattern failed */
	NC_NCS_ERR_ARGS,          /* wrong number or kind of arguments */
	NC_NCS_ERR_VALUE,         /* bad argument value (NaN `as Int`, math::pow(2.0, 0.5), ...) */
	NC_NCS_ERR_EFFECT,        /* a host effect handler reported failure */
	/* limits (NC_NCS_CLASS_LIMIT) */
	NC_NCS_ERR_LIMIT_STEPS,   /* more than limits.max_steps instructions */
	NC_NCS_ERR_LIMIT_ALLOC,   /* live script memory above limits.max_alloc_bytes */
	NC_NCS_ERR_LIMIT_DEADLINE,/* the injected clock passed limits.deadline_micros */
	NC_NCS_ERR_LIMIT_DEPTH,   /* call depth above limits.max_call_depth */
	NC_NCS_ERR_LIMIT_OUTPUT,  /* print output above limits.max_output_bytes */
	NC_NCS_ERR_LIMIT_VALUE_DEPTH, /* a value nested deeper than NC_NCS_VALUE_DEPTH_MAX */
	/* capability (NC_NCS_CLASS_CAPABILITY) */
	NC_NCS_ERR_CAP_DENIED,    /* effect not declared by the calling module's header or not
				     granted by a handler; or, before anything runs, an imported
				     module's header declares more than the main script's header
				     and the handlers grant */
	/* host (NC_NCS_CLASS_HOST) */
	NC_NCS_ERR_NOMEM,         /* the embedder's allocator returned NULL */
	NC_NCS_ERR_INVALID,       /* bad argument to the C API (NULL config, ...) */
	NC_NCS_ERR_COUNT_
} nc_ncs_err_t;

typedef enum {
	NC_NCS_CLASS_NONE = 0,
	NC_NCS_CLASS_COMPILE,
	NC_NCS_CLASS_RUNTIME,
	NC_NCS_CLASS_LIMIT,
	NC_NCS_CLASS_CAPABILITY,
	NC_NCS_CLASS_HOST,
} nc_ncs_class_t;

/* Static name of err ("NC_NCS_ERR_OVERFLOW"); "NC_NCS_ERR_UNKNOWN" outside the enum. */
const char *nc_ncs_err_name(nc_ncs_err_t err);
/* Which family err belongs to (NC_NCS_CLASS_NONE for NC_NCS_OK). */
nc_ncs_class_t nc_ncs_err_class(nc_ncs_err_t err);
/* The exit status the `ncs` commands (host and NexaCore) give for err:
 * 0 ok, 1 compile error, 2 runtime error (and host errors), 3 limit hit,
 * 4 capability denied. (64, a usage error, is the commands' own.) */
int nc_ncs_exit_status(nc_ncs_err_t err);

/* Containers nested deeper than this fail with NC_NCS_ERR_LIMIT_VALUE_DEPTH, which
 * bounds the C recursion of printing, comparing and freeing values. */
#define NC_NCS_VALUE_DEPTH_MAX 100u
/* Default and ceiling for limits.max_nesting (source nesting: blocks, parentheses,
 * operators, patterns). The ceiling bounds the parser's and compiler's C stack. */
#define NC_NCS_NESTING_DEFAULT 128u
#define NC_NCS_NESTING_MAX 512u

/* Allocator, Lua's lua_Alloc contract: new_bytes == 0 frees ptr (returns NULL);
 * otherwise (re)allocates ptr from old_bytes to new_bytes (ptr NULL: allocate),
 * returning NULL on failure with ptr untouched. Must return 16-byte aligned memory. */
typedef void *(*nc_ncs_alloc_fn)(void *ud, void *ptr, size_t old_bytes, size_t new_bytes);
/* Monotonic clock in microseconds (any origin). */
typedef uint64_t (*nc_ncs_clock_fn)(void *ud);

/* Call depth used when limits.max_call_depth is 0, so that runaway recursion ends
 * with NC_NCS_ERR_LIMIT_DEPTH rather than by exhausting the host's memory. */
#define NC_NCS_CALL_DEPTH_DEFAULT 100000u

/* Deterministic limits; 0 means "no limit" for every field except max_nesting
 * (0: NC_NCS_NESTING_DEFAULT; values above NC_NCS_NESTING_MAX are clamped) and
 * max_call_depth (0: NC_NCS_CALL_DEPTH_DEFAULT). */
typedef struct {
	uint64_t max_steps;        /* VM instructions (builtins charge per element) */
	uint64_t max_alloc_bytes;  /* live bytes of strings, arrays, structs, frames */
	uint64_t deadline_micros;  /* run time by the injected clock; needs clock */
	uint32_t max_call_depth;   /* nested script calls, main counts as 1 */
	uint32_t max_nesting;      /* parser nesting limit */
	uint64_t max_output_bytes; /* bytes written by print */
} nc_ncs_limits_t;

/* Host effects a script can request; the capability name is "fs.read" etc. fs::append(path,
 * text), fs::remove(path) and fs::mkdir(path) are effects of their own (a host installs a
 * handler for each it serves) behind the capability fs.write: a header's fs.write declaration
 * covers them, and their name is "fs.write". net::fetch(url [, options]) (NC_NCS_FX_NET_FETCH) is likewise
 * behind net.connect, checked on each hop's "HOST:PORT" (see nc_ncs_effect_fn). */
typedef enum {
	NC_NCS_FX_FS_READ = 0, NC_NCS_FX_FS_WRITE, NC_NCS_FX_FS_LIST,
	NC_NCS_FX_NET_CONNECT, NC_NCS_FX_NET_SEND, NC_NCS_FX_NET_RECV,
	NC_NCS_FX_AI_INVOKE, NC_NCS_FX_AI_STREAM, NC_NCS_FX_AI_EMBED, NC_NCS_FX_AI_CLASSIFY,
	NC_NCS_FX_AGENT_TASK,
	NC_NCS_FX_FS_APPEND, NC_NCS_FX_FS_REMOVE, NC_NCS_FX_FS_MKDIR,
	NC_NCS_FX_AI_TRANSCRIBE,
	NC_NCS_FX_NET_FETCH,
	NC_NCS_FX_COUNT
} nc_ncs_effect_t;

/* Capability name of fx ("fs.read"); NULL outside the enum. */
const char *nc_ncs_effect_name(nc_ncs_effect_t fx);

/* A borrowed byte string (not NUL-terminated unless stated). */
typedef struct {
	const char *ptr;
	size_t len_bytes;
} nc_ncs_str_t;

/* Reply builder handed to an effect handler; valid only during the call. */
typedef struct nc_ncs_reply nc_ncs_reply_t;
/* Add a text to the reply (copied). fs.list, ai.embed and ai.stream replies
 * collect every text into an array of strings; the other effects use the last text as their
 * String result; no text at all gives the unit value ().
 * Errors: NC_NCS_ERR_NOMEM, NC_NCS_ERR_LIMIT_ALLOC. */
nc_ncs_err_t nc_ncs_reply_text(nc_ncs_reply_t *reply, const char *bytes, size_t len_bytes);

/* Effect handler. args are the script's String arguments (for fs effects args[0]
 * is the path, already normalised and checked against both scopes). A
 * net.fetch handler performs one HTTP request per call: args[0] is the canonical
 * "HOST:PORT" that was checked (nc/http.h's nc_http_url_t.endpoint), args[1]
 * the URL ("http://HOST[:PORT]/TARGET", which nc_http_url_parse takes back),
 * args[2] the method, args[3] the header lines (nc_http_request_t.headers),
 * args[4] the body, when there is one (n_args 5; 4 without), all checked by
 * nc_http_request_check; it replies with one text: the answer's head (status line and header lines
 * joined by CRLF, as nc_http_client_t.head), CRLF CRLF, and the body with its
 * transfer coding removed. lib/ncs checks the head, follows redirects (each
 * hop checked again) and makes the script's value. Return
 * NC_NCS_OK, or NC_NCS_ERR_EFFECT to fail the script with message
 * (a NUL-terminated static or handler-owned string, copied; may be NULL). */
typedef nc_ncs_err_t (*nc_ncs_effect_fn)(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args,
					 size_t n_args, nc_ncs_reply_t *reply, const char **message);

/* A host grant: the effect fx is allowed inside scope (an lib/scope scope: a path
 * for fs.*, a name such as "example.org:443" or "*" for the others) and is
 * served by fn. */
typedef struct {
	nc_ncs_effect_t fx;
	const char *scope;         /* NUL-terminated */
	nc_ncs_effect_fn fn;
	void *ud;
} nc_ncs_handler_t;

/* Module loader for `use a::b;`: find the source of module path "a" (segments
 * joined by "::", NUL-terminated). On success set *src, *src_len and *file_name
 * (all borrowed: they must stay valid until the run returns) and return true;
 * return false when there is no such module. */
typedef bool (*nc_ncs_load_fn)(void *ud, const char *module_path, const char **src,
			       size_t *src_len, const char **file_name);

typedef struct {
	nc_ncs_alloc_fn alloc;     /* required */
	void *alloc_ud;
	nc_ncs_clock_fn clock;     /* required iff limits.deadline_micros != 0 */
	void *clock_ud;
	nc_ncs_limits_t limits;
	nc_ncs_load_fn load;       /* NULL: every `use` fails with NC_NCS_ERR_MODULE */
	void *load_ud;
	const nc_ncs_handler_t *handlers; /* borrowed for the run; may be NULL */
	size_t n_handlers;
} nc_ncs_config_t;

/* Kinds of the value main returned. */
typedef enum {
	NC_NCS_VAL_UNIT = 0, NC_NCS_VAL_BOOL, NC_NCS_VAL_INT, NC_NCS_VAL_FLOAT,
	NC_NCS_VAL_STRING, NC_NCS_VAL_OTHER
} nc_ncs_val_kind_t;

/* The outcome of a run. Every pointer is owned by the result (allocated with the
 * config's allocator) and NUL-terminated; release with nc_ncs_result_fini. */
typedef struct {
	nc_ncs_err_t err;
	nc_ncs_val_kind_t kind;   /* kind of main's value (when err == NC_NCS_OK) */
	int64_t int_value;        /* main's value when kind is NC_NCS_VAL_INT or _BOOL */
	char *value;              /* main's value as `ncs` prints it after "=> ":
				     strings quoted, [1, 2], Ok(8), P { x: 1 }; "()" for unit */
	size_t value_len;
	char *output;             /* everything print wrote, also on error */
	size_t output_len;
	char *message;            /* on error: "file:line:col: error[NAME]: what"
				     followed by the source line and a caret line */
	size_t message_len;
	uint64_t steps;           /* instructions executed (deterministic) */
	uint64_t peak_alloc_bytes;/* highest live script memory seen */
} nc_ncs_result_t;

/* Compile the module src (named file_name in messages) with the modules it uses,
 * then run its `fn main()` under cfg->limits. Every module's code runs with its
 * own #![capabilities(...)] header, which must lie inside the program's grant
 * (docs/ncscript.md, "Capabilities in modules"). Returns the same value as out->err.
 * Errors: any nc_ncs_err_t; NC_NCS_ERR_INVALID when cfg, cfg->alloc, file_name
 * or out is NULL or a deadline is set without a clock. out is always initialised
 * (also on error) and must be released with nc_ncs_result_fini. */
nc_ncs_err_t nc_ncs_run(const nc_ncs_config_t *cfg, const char *file_name, const char *src,
			size_t src_len, nc_ncs_result_t *out);

/* Like nc_ncs_run but stops after parsing, resolving modules and compiling. */
nc_ncs_err_t nc_ncs_check(const nc_ncs_config_t *cfg, const char *file_name, const char *src,
			  size_t src_len, nc_ncs_result_t *out);

/* Free everything out owns (using cfg's allocator) and zero it. */
void nc_ncs_result_fini(const nc_ncs_config_t *cfg, nc_ncs_result_t *out);

/* Shortest decimal text that reads back to the same double (no libc): "1.5",
 * "0.1", "3.0", "1e300", "1e-7", "-inf", "NaN"; positional for decimal exponents
 * -5..20, scientific otherwise. Writes at most cap_bytes including a NUL; returns
 * the full length. NC_NCS_FLOAT_TEXT_MAX always suffices. Reentrant. */
#define NC_NCS_FLOAT_TEXT_MAX 40u
size_t nc_ncs_format_float(double v, char *buf, size_t cap_bytes);
/* Parse an unsigned decimal float ("12", "1.5e-3"; ".5", "5." and signs are
 * rejected) correctly rounded to nearest-even, subnormals included; at most 768
 * significant digits. Returns true and sets *out iff all of text[0..len_bytes) is
 * one number. Reentrant. */
bool nc_ncs_parse_float(const char *text, size_t len_bytes, double *out);

#endif

/* REPL session (see nc/ncs_repl.h): growable texts of kept items and
 * statements, and the program assembled from them for each input. */
#include <nc/ncs_repl.h>
#include <nc/mem.h>

typedef struct {
	char *s;
	size_t len, cap;
} text_t;

struct nc_ncs_repl {
	const nc_ncs_config_t *cfg;
	text_t items, stmts;
	size_t shown;          /* output bytes the kept statements print */
};

static bool append(const nc_ncs_config_t *cfg, text_t *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *ns = cfg->alloc(cfg->alloc_ud, t->s, t->cap, cap);
		if (!ns)
			return false;
		t->s = ns;
		t->cap = cap;
	}
	nc_mem_copy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = 0;
	return true;
}

static bool append_str(const nc_ncs_config_t *cfg, text_t *t, const char *s)
{
	return append(cfg, t, s, nc_str_len(s));
}

static void text_free(const nc_ncs_config_t *cfg, text_t *t)
{
	if (t->s)
		cfg->alloc(cfg->alloc_ud, t->s, t->cap, 0);
	*t = (text_t){ 0 };
}

nc_ncs_err_t nc_ncs_repl_create(const nc_ncs_config_t *cfg, nc_ncs_repl_t **out)
{
	if (!cfg || !cfg->alloc || !out)
		return NC_NCS_ERR_INVALID;
	nc_ncs_repl_t *r = cfg->alloc(cfg->alloc_ud, NULL, 0, sizeof *r);
	if (!r)
		return NC_NCS_ERR_NOMEM;
	nc_mem_set(r, 0, sizeof *r);
	r->cfg = cfg;
	*out = r;
	return NC_NCS_OK;
}

void nc_ncs_repl_destroy(nc_ncs_repl_t *r)
{
	if (!r)
		return;
	const nc_ncs_config_t *cfg = r->cfg;
	text_free(cfg, &r->items);
	text_free(cfg, &r->stmts);
	cfg->alloc(cfg->alloc_ud, r, sizeof *r, 0);
}

/* What the session needs to know of an input without lexing it (the lexer's
 * rules: "..." with backslash escapes, // to the end of the line, nestable
 * block comments): the ( [ { left open, whether a block comment is still open,
 * and the first and last significant bytes (blanks and comments are not).
 * first == len when there is none. */
typedef struct {
	long depth;
	bool in_comment;
	size_t first, last;
} shape_t;

static shape_t scan(const char *s, size_t len)
{
	shape_t sh = { 0, false, len, len };
	size_t comment = 0;  /* block comment nesting */
	bool str = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i], next = i + 1 < len ? s[i + 1] : 0;
		if (comment) {
			if (c == '*' && next == '/')
				comment--, i++;
			else if (c == '/' && next == '*')
				comment++, i++;
			continue;
		}
		if (!str && c == '/' && next == '/') {
			while (i + 1 < len && s[i + 1] != '\n')
				i++;
			continue;
		}
		if (!str && c == '/' && next == '*') {
			comment = 1;
			i++;
			continue;
		}
		if (!str && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (sh.first == len)
			sh.first = i;
		if (str && c == '\\' && next)
			i++;
		else if (c == '"')
			str = !str;
		else if (!str && (c == '(' || c == '[' || c == '{'))
			sh.depth++;
		else if (!str && (c == ')' || c == ']' || c == '}'))
			sh.depth--;
		sh.last = i;
	}
	sh.in_comment = comment > 0;
	return sh;
}

bool nc_ncs_repl_needs_more(const char *s, size_t len)
{
	shape_t sh = scan(s, len);
	return sh.depth > 0 || sh.in_comment;
}

static bool is_item(const char *s, size_t len)
{
	static const char *const starts[] = { "fn ", "struct ", "enum ", "impl ", "use ", "pub " };
	size_t i = scan(s, len).first;
	for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
		size_t n = nc_str_len(starts[k]);
		if (len - i >= n && nc_mem_compare(s + i, starts[k], n) == 0)
			return true;
	}
	return false;
}

/* items [+ input] + "fn main() {" + stmts [+ input] + "}" */
static bool assemble(nc_ncs_repl_t *r, text_t *src, const char *in, size_t n, bool item)
{
	const nc_ncs_config_t *cfg = r->cfg;
	return append(cfg, src, r->items.s ? r->items.s : "", r->items.len) &&
	       (!item || (append(cfg, src, in, n) && append_str(cfg, src, "\n"))) &&
	       append_str(cfg, src, "fn main() {\n") &&
	       append(cfg, src, r->stmts.s ? r->stmts.s : "", r->stmts.len) &&
	       (item || (append(cfg, src, in, n) && append_str(cfg, src, "\n"))) &&
	       append_str(cfg, src, "}\n");
}

/* Keep a successful input for later ones: items, and statements (the last
 * token is ';', or '}' of a block whose value is (), which gets its ';' right
 * after it, before any trailing comment). */
static bool keep(nc_ncs_repl_t *r, const char *in, size_t n, bool item, const nc_ncs_result_t *res)
{
	const nc_ncs_config_t *cfg = r->cfg;
	if (item)
		return append(cfg, &r->items, in, n) && append_str(cfg, &r->items, "\n");
	size_t last = scan(in, n).last;
	bool stmt = last < n && in[last] == ';';
	if (!stmt && !(last < n && in[last] == '}' && res->kind == NC_NCS_VAL_UNIT))
		return true;
	r->shown = res->output_len;
	return append(cfg, &r->stmts, in, last + 1) && (stmt || append_str(cfg, &r->stmts, ";")) &&
	       append(cfg, &r->stmts, in + last + 1, n - last - 1) && append_str(cfg, &r->stmts, "\n");
}

nc_ncs_err_t nc_ncs_repl_eval(nc_ncs_repl_t *r, const char *in, size_t n, nc_ncs_result_t *out,
			      size_t *new_output)
{
	nc_mem_set(out, 0, sizeof *out);
	*new_output = 0;
	while (n && (in[n - 1] == '\n' || in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r'))
		n--;
	if (n == 0)
		return NC_NCS_OK;
	bool item = is_item(in, n);
	text_t src = { 0 };
	if (!assemble(r, &src, in, n, item)) {
		text_free(r->cfg, &src);
		return out->err = NC_NCS_ERR_NOMEM;
	}
	nc_ncs_err_t err = nc_ncs_run(r->cfg, "<repl>", src.s, src.len, out);
	text_free(r->cfg, &src);
	*new_output = out->output_len > r->shown ? r->shown : out->output_len;
	if (!err && !keep(r, in, n, item, out))
		err = out->err = NC_NCS_ERR_NOMEM;
	return err;
}

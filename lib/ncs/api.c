/* Public entry points (nc/ncs.h): run and check a script, build the result and
 * the error message with file:line:col, the source line and a caret. */
#include "module.h"
#include "program.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static const char *const err_names[NC_NCS_ERR_COUNT_] = {
	"NC_NCS_OK", "NC_NCS_ERR_SYNTAX", "NC_NCS_ERR_NESTING", "NC_NCS_ERR_RESOLVE", "NC_NCS_ERR_NO_MAIN",
	"NC_NCS_ERR_MODULE", "NC_NCS_ERR_MODULE_CYCLE", "NC_NCS_ERR_CAP_DECL", "NC_NCS_ERR_TYPE",
	"NC_NCS_ERR_OVERFLOW", "NC_NCS_ERR_DIV_ZERO", "NC_NCS_ERR_INDEX", "NC_NCS_ERR_NO_MATCH",
	"NC_NCS_ERR_ARGS", "NC_NCS_ERR_VALUE", "NC_NCS_ERR_EFFECT", "NC_NCS_ERR_LIMIT_STEPS",
	"NC_NCS_ERR_LIMIT_ALLOC", "NC_NCS_ERR_LIMIT_DEADLINE", "NC_NCS_ERR_LIMIT_DEPTH",
	"NC_NCS_ERR_LIMIT_OUTPUT", "NC_NCS_ERR_LIMIT_VALUE_DEPTH", "NC_NCS_ERR_CAP_DENIED",
	"NC_NCS_ERR_NOMEM", "NC_NCS_ERR_INVALID",
};

const char *nc_ncs_err_name(nc_ncs_err_t err)
{
	return (unsigned)err < NC_NCS_ERR_COUNT_ ? err_names[err] : "NC_NCS_ERR_UNKNOWN";
}

nc_ncs_class_t nc_ncs_err_class(nc_ncs_err_t err)
{
	if (err == NC_NCS_OK)
		return NC_NCS_CLASS_NONE;
	if (err <= NC_NCS_ERR_CAP_DECL)
		return NC_NCS_CLASS_COMPILE;
	if (err <= NC_NCS_ERR_EFFECT)
		return NC_NCS_CLASS_RUNTIME;
	if (err <= NC_NCS_ERR_LIMIT_VALUE_DEPTH)
		return NC_NCS_CLASS_LIMIT;
	if (err == NC_NCS_ERR_CAP_DENIED)
		return NC_NCS_CLASS_CAPABILITY;
	return NC_NCS_CLASS_HOST;
}

int nc_ncs_exit_status(nc_ncs_err_t err)
{
	switch (nc_ncs_err_class(err)) {
	case NC_NCS_CLASS_NONE: return 0;
	case NC_NCS_CLASS_COMPILE: return 1;
	case NC_NCS_CLASS_LIMIT: return 3;
	case NC_NCS_CLASS_CAPABILITY: return 4;
	default: return 2;
	}
}

static char *dup_text(ncs_state_t *st, const char *s, size_t n)
{
	char *d = st->cfg->alloc(st->cfg->alloc_ud, NULL, 0, n + 1);
	if (d) {
		nc_mem_copy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* 1-based line and character column of byte offset off in m's source; *line_start
 * gets the offset where that line begins. */
static void position(const ncs_module_t *m, uint32_t off, size_t *line, uint32_t *col, size_t *line_start)
{
	*line = 1;
	*line_start = 0;
	for (size_t i = 0; i < off; i++)
		if (m->src[i] == '\n') {
			(*line)++;
			*line_start = i + 1;
		}
	*col = ncs_utf8_count(m->src + *line_start, off - *line_start) + 1;
}

/* The callers of a runtime error, innermost first: "  called from f.ncs:3:9 in `g`". */
static void write_trace(ncs_state_t *st, ncs_buf_t *b)
{
	char tmp[64];
	for (uint32_t i = 0; i < st->n_trace; i++) {
		const ncs_trace_entry_t *t = &st->trace[i];
		size_t line, ls;
		uint32_t col;
		position(t->mod, t->off, &line, &col, &ls);
		ncs_buf_puts(b, "  called from ");
		ncs_buf_puts(b, t->mod->file);
		nc_fmt_format(tmp, sizeof tmp, ":%zu:%u in `", line, col);
		ncs_buf_puts(b, tmp);
		ncs_buf_put(b, t->fn, t->fn_len);
		ncs_buf_puts(b, "`\n");
	}
	if (st->trace_more) {
		nc_fmt_format(tmp, sizeof tmp, "  ... and %llu more calls\n", (unsigned long long)st->trace_more);
		ncs_buf_puts(b, tmp);
	}
}

/* "file:line:col: error: msg [NAME]" + source line + caret (+ call trace), into b. */
static void write_message(ncs_state_t *st, ncs_buf_t *b, const char *main_file)
{
	char tmp[64];
	const ncs_module_t *m = st->err_mod;
	if (!m || st->err_off == UINT32_MAX || st->err_off > m->src_len) {
		ncs_buf_puts(b, m ? m->file : main_file);
		ncs_buf_puts(b, ": error: ");
		ncs_buf_puts(b, st->msg);
		ncs_buf_puts(b, " [");
		ncs_buf_puts(b, nc_ncs_err_name(st->err));
		ncs_buf_puts(b, "]\n");
		return;
	}
	size_t line, line_start;
	uint32_t col;
	position(m, st->err_off, &line, &col, &line_start);
	size_t line_end = line_start;
	while (line_end < m->src_len && m->src[line_end] != '\n' && m->src[line_end] != '\r')
		line_end++;
	ncs_buf_puts(b, m->file);
	nc_fmt_format(tmp, sizeof tmp, ":%zu:%u: error: ", line, col);
	ncs_buf_puts(b, tmp);
	ncs_buf_puts(b, st->msg);
	ncs_buf_puts(b, " [");
	ncs_buf_puts(b, nc_ncs_err_name(st->err));
	nc_fmt_format(tmp, sizeof tmp, "]\n%5zu | ", line);
	ncs_buf_puts(b, tmp);
	ncs_buf_put(b, m->src + line_start, line_end - line_start);
	ncs_buf_puts(b, "\n      | ");
	for (size_t i = line_start; i < st->err_off; i++) {
		if (((unsigned char)m->src[i] & 0xc0) == 0x80)
			continue;
		ncs_buf_put(b, m->src[i] == '\t' ? "\t" : " ", 1);
	}
	ncs_buf_puts(b, "^\n");
	write_trace(st, b);
}

static void fill_result(ncs_state_t *st, const char *file, ncs_value_t *value, nc_ncs_result_t *out)
{
	st->counting = false; /* building the result may allocate past the limit */
	out->err = st->err;
	out->steps = st->steps;
	out->peak_alloc_bytes = st->peak_bytes;
	if (st->out) {
		out->output = dup_text(st, st->out, st->out_len);
		out->output_len = out->output ? st->out_len : 0;
	}
	ncs_buf_t b = { st, NULL, 0, 0, false };
	if (st->err) {
		write_message(st, &b, file);
		if (!b.failed && b.buf) {
			out->message = dup_text(st, b.buf, b.len);
			out->message_len = out->message ? b.len : 0;
		}
	} else if (value) {
		ncs_value_t v = *value;
		out->kind = v.tag == V_UNIT ? NC_NCS_VAL_UNIT : v.tag == V_BOOL ? NC_NCS_VAL_BOOL
			  : v.tag == V_INT ? NC_NCS_VAL_INT : v.tag == V_FLOAT ? NC_NCS_VAL_FLOAT
			  : v.tag == V_STR ? NC_NCS_VAL_STRING : NC_NCS_VAL_OTHER;
		out->int_value = v.tag == V_INT ? v.u.i : v.tag == V_BOOL ? v.u.b : 0;
		ncs_value_write(&b, v, true);
		if (!b.failed && b.buf) {
			out->value = dup_text(st, b.buf, b.len);
			out->value_len = out->value ? b.len : 0;
		}
		/* a run whose value or output could not be handed back did not succeed */
		if (!out->value || (st->out && !out->output))
			out->err = NC_NCS_ERR_NOMEM;
	}
	ncs_buf_free(&b);
}

static nc_ncs_err_t run(const nc_ncs_config_t *cfg, const char *file, const char *src, size_t src_len,
			nc_ncs_result_t *out, bool execute)
{
	if (!out)
		return NC_NCS_ERR_INVALID;
	nc_mem_set(out, 0, sizeof *out);
	if (!cfg || !cfg->alloc || !file || (!src && src_len) ||
	    (cfg->limits.deadline_micros && !cfg->clock))
		return out->err = NC_NCS_ERR_INVALID;
	ncs_state_t st;
	ncs_program_t prog;
	ncs_graph_t g;
	nc_mem_set(&st, 0, sizeof st);
	nc_mem_set(&prog, 0, sizeof prog);
	nc_mem_set(&g, 0, sizeof g);
	st.cfg = cfg;
	st.prog = &prog;
	g.st = &st;
	ncs_value_t result = ncs_unit();
	bool have_result = false;
	ncs_module_t *main_mod = ncs_module_new(&st, "", 0, file, src ? src : "", src_len);
	if (main_mod && ncs_graph_load(&g, main_mod) == NC_NCS_OK) {
		prog.mods = g.order;
		prog.n_mods = g.n_order;
		if (ncs_compile_program(&st, &prog) == NC_NCS_OK && execute) {
			st.counting = true;
			have_result = ncs_vm_run(&st, &prog, &result) == NC_NCS_OK;
		}
	}
	if (!st.err && !main_mod)
		st.err = NC_NCS_ERR_NOMEM;
	fill_result(&st, file, have_result ? &result : NULL, out);
	if (have_result)
		ncs_unref(&st, result);
	ncs_program_free(&st, &prog);
	ncs_graph_fini(&g);
	ncs_mem_free(&st, st.out, st.out_cap);
	return out->err;
}

nc_ncs_err_t nc_ncs_run(const nc_ncs_config_t *cfg, const char *file_name, const char *src, size_t src_len,
			nc_ncs_result_t *out)
{
	return run(cfg, file_name, src, src_len, out, true);
}

nc_ncs_err_t nc_ncs_check(const nc_ncs_config_t *cfg, const char *file_name, const char *src, size_t src_len,
			  nc_ncs_result_t *out)
{
	return run(cfg, file_name, src, src_len, out, false);
}

void nc_ncs_result_fini(const nc_ncs_config_t *cfg, nc_ncs_result_t *out)
{
	if (!cfg || !out)
		return;
	if (out->value)
		cfg->alloc(cfg->alloc_ud, out->value, out->value_len + 1, 0);
	if (out->output)
		cfg->alloc(cfg->alloc_ud, out->output, out->output_len + 1, 0);
	if (out->message)
		cfg->alloc(cfg->alloc_ud, out->message, out->message_len + 1, 0);
	nc_mem_set(out, 0, sizeof *out);
}

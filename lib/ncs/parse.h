/* Parser state shared by parse.c (cursor, blocks, statements), parse_item.c
 * (module level), parse_expr.c (expressions) and parse_pat.c (patterns).
 * Internal to lib/ncs. */
#ifndef NCS_PARSE_H
#define NCS_PARSE_H

#include "cap.h"

typedef struct {
	ncs_state_t *st;
	ncs_module_t *m;
	ncs_lexer_t lx;
	ncs_tok_t tok;             /* current token */
	ncs_tok_t peek;            /* one more, when has_peek */
	bool has_peek;
	bool no_struct;            /* `Name {` is not a struct literal here (conditions) */
	uint32_t depth, max_depth; /* nesting guard: bounds C recursion */
	bool failed;
} ncs_parser_t;

bool ncs_p_advance(ncs_parser_t *p);
const ncs_tok_t *ncs_p_peek(ncs_parser_t *p);
bool ncs_p_expect(ncs_parser_t *p, ncs_tok_kind_t k, const char *what);
bool ncs_p_accept(ncs_parser_t *p, ncs_tok_kind_t k);
bool ncs_p_error(ncs_parser_t *p, uint32_t off, const char *what);
bool ncs_p_enter(ncs_parser_t *p);
static inline void ncs_p_leave(ncs_parser_t *p) { p->depth--; }
ncs_node_t *ncs_p_node(ncs_parser_t *p, ncs_node_kind_t kind, uint32_t off);
/* Grow-as-you-go node lists in the arena. */
typedef struct { ncs_node_t **v; uint32_t n, cap; } ncs_nodes_t;
bool ncs_p_push(ncs_parser_t *p, ncs_nodes_t *l, ncs_node_t *n);

/* Skip a type annotation (accepted, not checked). */
bool ncs_p_skip_type(ncs_parser_t *p);
ncs_node_t *ncs_p_expr(ncs_parser_t *p);
ncs_node_t *ncs_p_block(ncs_parser_t *p);
ncs_node_t *ncs_p_pattern(ncs_parser_t *p);
/* A pattern without top-level `|` alternatives (closure parameters). */
ncs_node_t *ncs_p_pattern_no_or(ncs_parser_t *p);
ncs_node_t *ncs_p_primary(ncs_parser_t *p);
/* ident ( :: ident )* joined into one arena string. */
bool ncs_p_path(ncs_parser_t *p, const char **name, uint32_t *len);
bool ncs_p_is_upper(const char *s);
/* One field of a struct literal or pattern, its name current: `name: value`
 * gives a node of kind field (at the name, named so) with a = value(p);
 * `name` alone gives a = a shorthand node naming the field. NULL after an
 * error ("expected a field name" when the current token is no identifier). */
ncs_node_t *ncs_p_field(ncs_parser_t *p, ncs_node_kind_t field, ncs_node_kind_t shorthand,
			ncs_node_t *(*value)(ncs_parser_t *p));
/* Attach the collected list l to n; returns n. */
ncs_node_t *ncs_p_finish_list(ncs_parser_t *p, ncs_node_t *n, ncs_nodes_t *l);
/* Is this expression block-like (no `;` needed as a statement)? */
bool ncs_p_blocklike(const ncs_node_t *n);

#endif

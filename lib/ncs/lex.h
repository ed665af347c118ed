/* ncScript lexer (lex.c): source bytes to tokens, one at a time (the parser
 * keeps one lookahead). Internal to lib/ncs. */
#ifndef NCS_LEX_H
#define NCS_LEX_H

#include "state.h"

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

/* Lexer over one source text; token strings go to arena. */
typedef struct {
	ncs_state_t *st;
	ncs_arena_t *arena;
	const char *src; size_t len;
	size_t pos;
} ncs_lexer_t;
bool ncs_lex_next(ncs_lexer_t *lx, ncs_tok_t *t);

#endif

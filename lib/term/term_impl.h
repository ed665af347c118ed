/* lib/term's insides, shared by screen.c and parse.c (not a public header). */
#ifndef LIB_TERM_IMPL_H
#define LIB_TERM_IMPL_H

#include <nc/term.h>

enum { PARAMS_MAX = 16 };

typedef struct {
	uint16_t len;                /* cells */
	bool wrapped;                /* the text goes on in the next line (autowrap) */
	nc_term_cell_t cells[];
} term_line_t;

typedef struct {
	int line, col;               /* absolute line (0 = oldest scrollback line) */
} term_pos_t;

typedef enum { ST_GROUND, ST_ESC, ST_CSI, ST_OSC, ST_OSC_ESC, ST_CHARSET } term_state_t;

typedef struct {
	uint16_t fg, bg;
	uint8_t attr;
} term_pen_t;

struct nc_term {
	nc_term_alloc_t alloc;
	int cols, rows;
	term_line_t *lines[NC_TERM_ROWS_MAX];   /* the screen, top to bottom */
	term_line_t **sb;                       /* scrollback ring: sb_cap slots */
	int sb_cap, sb_first, sb_count;
	int view;                               /* lines scrolled back */
	int cur_row, cur_col;
	bool wrap_pending;                      /* at the last column: the next character wraps */
	bool autowrap, cursor_visible, origin;
	int top, bottom;                        /* scroll region, inclusive */
	term_pen_t pen;
	struct {
		int row, col;
		term_pen_t pen;
		bool origin;
	} saved;
	/* parser */
	term_state_t state;
	int params[PARAMS_MAX], n_params;
	bool private_marker;                    /* CSI ? ... */
	uint32_t utf8_cp;
	int utf8_left;
	char reply[NC_TERM_REPLY_MAX];
	size_t reply_len;
	/* selection */
	bool selecting;
	term_pos_t sel_a, sel_b;
	uint64_t dirty[(NC_TERM_ROWS_MAX + 63) / 64];
};

/* screen.c */
void term_blank(const nc_term_t *t, nc_term_cell_t *c, int n);
void term_dirty(nc_term_t *t, int screen_row);
void term_dirty_all(nc_term_t *t);
void term_scroll_up(nc_term_t *t, int top, int bottom, int n);
void term_scroll_down(nc_term_t *t, int top, int bottom, int n);
/* parse.c */
void term_reset(nc_term_t *t);

#endif

/* lib/term: a terminal emulator's core, the VT100/xterm subset the desktop's
 * terminal needs: UTF-8 text, colours (the 16 ANSI colours, the 256-colour
 * palette), bold/underline/reverse, cursor movement and addressing, erasing,
 * inserting and deleting characters and lines, scroll regions, saving the
 * cursor, autowrap (xterm's: the cursor waits at the last column until the
 * next character), tabs every 8 columns, device status reports, scrollback,
 * and selection. No drawing: the screen is cells the program renders
 * (user/desktop/terminal), row by row as rows change.
 *
 * Escape sequences follow ECMA-48 and xterm's ctlseqs; the tests compare the
 * screen with pyte, an independent emulator (tests/lib/term). Unknown
 * sequences are consumed and ignored. Not thread-safe. */
#ifndef NC_TERM_H
#define NC_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	NC_TERM_COLS_MAX = 400, NC_TERM_ROWS_MAX = 200, NC_TERM_SCROLLBACK_MAX = 5000,
	NC_TERM_DEFAULT = 256,       /* fg/bg: the terminal's default colour */
	NC_TERM_BOLD = 1, NC_TERM_UNDERLINE = 2, NC_TERM_REVERSE = 4,
	NC_TERM_REPLY_MAX = 64,
};

typedef enum {
	NC_TERM_OK = 0,
	NC_TERM_ERR_NOMEM,
	NC_TERM_ERR_RANGE,           /* a size outside 1..COLS_MAX, 1..ROWS_MAX, 0..SCROLLBACK_MAX */
} nc_term_err_t;

typedef struct {
	uint32_t cp;                 /* code point; ' ' when blank */
	uint16_t fg, bg;             /* palette index 0..255 or NC_TERM_DEFAULT */
	uint8_t attr;                /* NC_TERM_BOLD | NC_TERM_UNDERLINE | NC_TERM_REVERSE */
} nc_term_cell_t;

/* Memory supplier: alloc returns size_bytes or NULL; free takes it back. */
typedef struct {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size_bytes);
	void (*free)(void *ctx, void *ptr);
} nc_term_alloc_t;

typedef struct nc_term nc_term_t;

nc_term_err_t nc_term_create(int cols, int rows, int scrollback_lines, const nc_term_alloc_t *alloc,
			     nc_term_t **out);
void nc_term_destroy(nc_term_t *t);
/* Change the size: lines keep their text (cut or padded), the cursor stays
 * inside. Errors: RANGE, NOMEM (the size is unchanged). */
nc_term_err_t nc_term_resize(nc_term_t *t, int cols, int rows);
void nc_term_size(const nc_term_t *t, int *cols, int *rows);

/* Feed output bytes (a sequence may be split across calls). Scrolls the
 * view back to the bottom when anything was written. */
void nc_term_write(nc_term_t *t, const void *bytes, size_t len);

/* What the terminal answers (device status reports): up to max bytes into
 * buf, taken off; returns the count. The program sends them as typed input. */
size_t nc_term_take_reply(nc_term_t *t, char *buf, size_t max);

/* The cell at (row, col) of the view: row 0 is the top of what is shown,
 * which is the screen unless the view is scrolled back. */
const nc_term_cell_t *nc_term_cell(const nc_term_t *t, int row, int col);
/* The cursor on the screen; *visible false when hidden (DECTCEM) or when the
 * view is scrolled back. col is cols when it waits to wrap. */
void nc_term_cursor(const nc_term_t *t, int *row, int *col, bool *visible);

/* Rows of the view changed since the last call (bit r of dirty[r / 64]);
 * clears them. dirty holds NC_TERM_ROWS_MAX bits. */
void nc_term_take_dirty(nc_term_t *t, uint64_t dirty[(NC_TERM_ROWS_MAX + 63) / 64]);

/* Scroll the view by delta lines (positive: back into the scrollback),
 * clamped; returns the lines now scrolled back (0: at the bottom). */
int nc_term_scroll_view(nc_term_t *t, int delta);
int nc_term_scrollback_lines(const nc_term_t *t);

/* Selection, in view coordinates: start at (row, col), extend to (row,
 * col) (either direction), clear. Selected cells report it (nc_term_selected). */
void nc_term_select_start(nc_term_t *t, int row, int col);
void nc_term_select_extend(nc_term_t *t, int row, int col);
void nc_term_select_clear(nc_term_t *t);
bool nc_term_selected(const nc_term_t *t, int row, int col);
/* The selected text as UTF-8 into buf (at most max bytes, whole characters):
 * lines joined by "\n" unless the line wrapped there, trailing blanks of each
 * line dropped. Returns the length. */
size_t nc_term_selection_text(const nc_term_t *t, char *buf, size_t max);

/* The bytes an xterm sends for an evdev key code with WP_MOD_*-style mods
 * (1 shift, 2 ctrl, 4 alt) when the key types no text itself: arrows,
 * Home/End, Insert/Delete, Page Up/Down, F1..F12. Returns the length (0: none). */
size_t nc_term_key_bytes(uint16_t code, unsigned mods, char *buf, size_t max);

#endif

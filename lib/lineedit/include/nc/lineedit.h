/* Terminal line editing for the NexaCore shell and REPLs: a byte-at-a-time
 * state machine with no I/O of its own. The caller feeds every input byte to
 * nc_le_feed and the editor writes what the terminal must show through the
 * caller's output function (VT100/ANSI sequences: ECMA-48 CSI K, C, D, 2J, H).
 *
 * Keys: printable text and UTF-8 insert at the cursor; Left/Right (CSI D/C,
 * Ctrl-B/Ctrl-F), Home/End (CSI H/F, CSI 1~/4~, Ctrl-A/Ctrl-E); Backspace
 * (0x7f, 0x08) and Delete (CSI 3~) remove one code point; Ctrl-U/Ctrl-K kill
 * to the start/end; Up/Down (CSI A/B, Ctrl-P/Ctrl-N) walk the history; Tab
 * completes through the completer; Ctrl-L clears the screen; Enter (CR or
 * LF; CR LF counts once) ends the line; Ctrl-C cancels it; Ctrl-D on an empty
 * line is end of input, elsewhere it deletes under the cursor.
 * Lines hold at most NC_LE_LINE_MAX - 1 bytes; input beyond that is refused
 * (the terminal bell is written). One nc_le_t per terminal; not thread-safe. */
#ifndef NC_LINEEDIT_H
#define NC_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum { NC_LE_LINE_MAX = 256, NC_LE_HISTORY = 32, NC_LE_PROMPT_MAX = 64, NC_LE_MAX_CANDIDATES = 64 };

typedef enum {
	NC_LE_NONE = 0,   /* keep feeding */
	NC_LE_LINE,       /* a line is complete: nc_le_line() until the next feed */
	NC_LE_CANCEL,     /* Ctrl-C: the line was abandoned */
	NC_LE_EOF,        /* Ctrl-D on an empty line */
} nc_le_event_t;

typedef void (*nc_le_write_fn)(void *ctx, const char *s, size_t len_bytes);

/* Completion: store up to max_out candidates (borrowed, NUL-terminated, each
 * starting with word[0..word_len)) in out; return how many. word is the text
 * from the start of the line to the cursor (the shell completes the command name). */
typedef size_t (*nc_le_complete_fn)(void *ctx, const char *word, size_t word_len,
				    const char **out, size_t max_out);

typedef struct {
	nc_le_write_fn write;
	void *write_ctx;
	nc_le_complete_fn complete;     /* NULL: Tab inserts nothing */
	void *complete_ctx;
	char prompt[NC_LE_PROMPT_MAX];
	char line[NC_LE_LINE_MAX];      /* NUL-terminated */
	size_t len, cursor;             /* bytes; cursor is on a code-point boundary */
	char history[NC_LE_HISTORY][NC_LE_LINE_MAX];
	size_t n_history;               /* entries stored, oldest dropped past NC_LE_HISTORY */
	size_t browse;                  /* 0 = editing a new line, k = k-th most recent entry */
	char draft[NC_LE_LINE_MAX];     /* the new line saved while browsing */
	int esc_state;                  /* escape-sequence parser state */
	int esc_param;
	bool last_was_cr;
} nc_le_t;

/* Prepare le and draw prompt. write must not be NULL; prompt is copied (cut to fit). */
void nc_le_init(nc_le_t *le, nc_le_write_fn write, void *ctx, const char *prompt);
void nc_le_set_completer(nc_le_t *le, nc_le_complete_fn fn, void *ctx);
/* Use prompt (copied, cut to fit) from the next nc_le_start on. */
void nc_le_set_prompt(nc_le_t *le, const char *prompt);
/* Begin a new line: clear the buffer and draw the prompt (after an event). */
void nc_le_start(nc_le_t *le);
/* Feed one input byte; returns the event it completes, if any. */
nc_le_event_t nc_le_feed(nc_le_t *le, uint8_t byte);
/* The finished line (valid after NC_LE_LINE until the next nc_le_start or feed). */
const char *nc_le_line(const nc_le_t *le);
/* History entry k (1 = most recent), or NULL. */
const char *nc_le_history(const nc_le_t *le, size_t k);

#endif

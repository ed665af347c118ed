/* The compositor (docs/desktop.md): holds the display, keeps the windows
 * (z-order, focus, decorations, moving and resizing by mouse, minimising,
 * closing), composes the damaged parts of the screen into a back buffer and
 * copies only those to the framebuffer. One thread does all of that; the
 * inbox's forwarding threads (nc/ulib.h) bring it the messages of the control
 * channel and of every client.
 *
 * Files: main.c (start, loop, control channel), wm.c (windows, pointer and
 * keys), client.c (the window protocol), compose.c (drawing the screen),
 * input.c (the input drivers' events). */
#ifndef USER_DESKTOP_COMPOSITOR_H
#define USER_DESKTOP_COMPOSITOR_H

#include <nc/font.h>
#include <nc/gfx.h>
#include <nc/keymap.h>
#include <nc/ulib.h>
#include <nc/wproto.h>

enum {
	MAX_WINDOWS = 16,
	TITLE_H = 24,            /* title bar height (with the top border) */
	BORDER = 1,
	BUTTON_W = 22,           /* the minimise and close boxes in the title bar */
	GRIP = 14,               /* the resize grip: bottom-right corner of the frame */
	CURSOR_W = 12, CURSOR_H = 19,
	TAG_CTL = 1,             /* inbox tag of the control channel; clients get TAG_FIRST_CLIENT.. */
	TAG_TICK = 2,
	TAG_FIRST_INPUT = 4,     /* input devices: TAG_FIRST_INPUT .. + INPUTS_MAX - 1 */
	INPUTS_MAX = 8,
	TAG_FIRST_CLIENT = 16,
	PENDING_MAX = 64,        /* messages kept for a client whose channel is full */
};

typedef struct {
	uint16_t len;
	uint8_t data[WP_MSG_MAX_BYTES];
} pending_msg_t;

typedef enum { DRAG_NONE, DRAG_MOVE, DRAG_RESIZE, DRAG_CLIENT } drag_t;

typedef struct {
	bool used;
	uint32_t id, tag;        /* window id (for tasks); inbox tag of its connection */
	uint64_t conn;           /* the connection (channel end) */
	bool created;            /* WP_CREATE seen */
	uint32_t flags;          /* WP_FLAG_* */
	char title[WP_TITLE_MAX + 1];
	int x, y;                /* frame position on the screen */
	int cw, ch;              /* content size (what was configured) */
	uint32_t *pixels;        /* the frame: decoration and the copied content */
	nc_gfx_surface_t surf;
	uint64_t buf_handle, buf_addr, buf_bytes; /* the client's buffer (0: none) */
	int bw, bh;              /* its size */
	bool minimised;
	uint64_t ping_sent_ns;   /* 0: no ping outstanding */
	uint32_t ping_serial;
	uint64_t stuck_since_ns; /* 0: its channel took the last message */
	pending_msg_t pending[PENDING_MAX]; /* waiting for room in its channel, oldest first */
	int n_pending;
	bool broken;             /* to be dropped once the current batch is handled */
	uint32_t commits;        /* WP_DAMAGE messages taken */
	char *clip_in;           /* WP_CLIP_SET chunks so far (WP_CLIP_MAX bytes; NULL: none) */
	uint32_t clip_in_len;
} window_t;

typedef struct {
	nc_gfx_surface_t fb;     /* the display mapping */
	bool rgbx;
	nc_gfx_surface_t back;   /* composition buffer, same size */
	nc_gfx_region_t damage;  /* screen areas to compose */
	window_t win[MAX_WINDOWS];
	int z[MAX_WINDOWS], nz;  /* window indices, bottom to top */
	int focus;               /* window index with the keyboard, -1: none */
	int px, py;              /* pointer */
	uint8_t buttons;
	drag_t drag;
	int drag_win, drag_dx, drag_dy;
	nc_gfx_rect_t outline;   /* the resize outline while DRAG_RESIZE */
	unsigned mods;           /* NC_KEYMAP_* held (Caps Lock toggled) */
	const nc_keymap_t *keymap;
	nc_font_face_t *title_face;
	nc_inbox_t inbox;
	uint64_t ctl;            /* control channel */
	uint32_t next_tag, next_id;
	uint64_t frames, pixels_composed;
	uint32_t dropped;
	char clip[WP_CLIP_MAX];  /* the clipboard */
	uint32_t clip_len;
	uint32_t n_inputs;       /* input devices attached */
	uint64_t input_events;   /* events they sent */
} desk_t;

extern desk_t desk;

/* wm.c */
window_t *wm_by_tag(uint32_t tag);
window_t *wm_by_id(uint32_t id);
/* A new window slot for a connection (NULL: MAX_WINDOWS in use). */
window_t *wm_add(uint64_t conn, uint32_t tag);
/* Give the window its first size and place it (after WP_CREATE). false: no memory. */
bool wm_place(window_t *w, int cw, int ch);
/* Resize the frame for content cw x ch (content shows the background until
 * the client draws). false: no memory (the window keeps its size). */
bool wm_resize(window_t *w, int cw, int ch);
/* Remove a window: unmap, close, damage, refocus. */
void wm_remove(window_t *w);
void wm_raise_focus(window_t *w);
void wm_set_minimised(window_t *w, bool on);
/* Redraw the decoration (title, focus colour) and damage it. */
void wm_decorate(window_t *w);
nc_gfx_rect_t wm_frame(const window_t *w);
nc_gfx_rect_t wm_content(const window_t *w);   /* on the screen */
void wm_pointer(int x, int y, uint8_t buttons, int wheel);
void wm_key(uint16_t code, uint8_t pressed);
/* Send the window list to every panel. */
void wm_send_tasks(void);

/* client.c */
void client_message(window_t *w, const nc_inbox_msg_t *m);
/* Send a message without waiting. When w's channel is full the message waits
 * in w's pending queue (in order; client_flush sends it later) and w's stuck
 * clock starts; a client PENDING_MAX messages behind is marked broken (the
 * main loop drops it after the batch: never in the middle of an operation). */
void client_send(window_t *w, const void *msg, size_t len);
/* Send what waits for w; true when something still waits. */
bool client_flush(window_t *w);
/* Ping the clients, drop those that stopped answering. */
void client_liveness(uint64_t now_ns);
/* Drop a client that broke the protocol or stopped answering. */
void client_drop(window_t *w);

/* Copy text (at most src_max bytes, up to a NUL) into dst[size], NUL-ended,
 * cut at a UTF-8 character boundary. */
void desk_copy_text(char *dst, size_t size, const char *src, size_t src_max);

/* input.c: watch an input driver's event channel (false: INPUTS_MAX
 * attached or no memory; the caller closes it); handle one of its messages. */
bool input_add(uint64_t ch);
void input_message(uint32_t tag, const nc_inbox_msg_t *m);

/* compose.c */
void compose_damage(nc_gfx_rect_t r);
/* Compose every damaged area into the back buffer and copy it to the display. */
void compose_flush(void);
/* The benchmark: compose r (clipped to the screen) n times (at most 64);
 * the median TSC cycles of one composition, and of only copying r from the
 * back buffer to the display (the least any compositor must do). */
void compose_bench(nc_gfx_rect_t r, uint32_t n, uint64_t *compose_tsc, uint64_t *copy_tsc);

#endif

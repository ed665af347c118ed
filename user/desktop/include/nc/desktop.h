/* The desktop's client library (user/desktop/lib): what every program with a
 * window shares. Fonts come from the initrd's /fonts (the program needs
 * fs.read on the file); a window is the client side of the window protocol
 * (nc/wproto.h): its shared-memory buffer, the damage it sends and the
 * answers it handles. Programs get their connection to the compositor as
 * handle 1 (the session passes it first). Not thread-safe: one thread per
 * window. */
#ifndef NC_DESKTOP_H
#define NC_DESKTOP_H

#include <nc/font.h>
#include <nc/gfx.h>
#include <nc/ulib.h>
#include <nc/wproto.h>

#define DESK_FONT_UI "/fonts/DejaVuSans.ttf"
#define DESK_FONT_MONO "/fonts/DejaVuSansMono.ttf"
enum { DESK_CONNECTION = 1 };  /* the handle value of a program's connection */

/* nc_malloc and nc_free in the shape lib/font's and lib/term's allocators
 * take (ctx unused). */
void *desk_alloc(void *ctx, size_t size_bytes);
void desk_free(void *ctx, void *ptr);

typedef struct {
	uint8_t *data;             /* the file */
	nc_font_t *font;
	nc_font_face_t *face;
} desk_font_t;

/* Read path from the initrd and open it at px_height. Errors: those of
 * FsStat/InitrdRead, NO_MEMORY, INVALID (not a font, bad size). */
nc_sys_err_t desk_font_load(desk_font_t *f, const char *path, int px_height);

typedef struct {
	uint64_t conn;             /* the connection */
	uint32_t id;               /* the window id the compositor gave */
	nc_gfx_surface_t surf;     /* the buffer: draw here when !busy */
	uint64_t shm, shm_bytes;   /* its handle and mapping size */
	bool busy;                 /* damage sent, WP_DONE not yet back */
	bool configured;           /* the first WP_CONFIGURE came */
	uint32_t serial;
	nc_gfx_region_t dirty;     /* what the program drew since the last damage */
	char *clip;                /* the clipboard as it arrives (WP_CLIP_MAX bytes; NULL until asked) */
	uint32_t clip_len;
} desk_window_t;

/* Make a w x h buffer and ask for a window (WP_CREATE). The compositor
 * answers with WP_CONFIGURE (desk_window_event). Errors: those of ShmCreate,
 * ShmMap, IpcSend. */
nc_sys_err_t desk_window_create(desk_window_t *win, uint64_t conn, int w, int h, uint32_t flags,
				const char *title);
/* Mark r as drawn (it goes in the next damage). */
void desk_window_dirty(desk_window_t *win, nc_gfx_rect_t r);
/* Send what was drawn (when not busy and something was): the window is busy
 * until WP_DONE. */
nc_sys_err_t desk_window_flush(desk_window_t *win);
nc_sys_err_t desk_window_title(desk_window_t *win, const char *title);
/* Put text[0..len) (cut to WP_CLIP_MAX bytes at a UTF-8 boundary) on the
 * desktop's clipboard. Errors: those of IpcSend. */
nc_sys_err_t desk_clip_set(desk_window_t *win, const char *text, size_t len);
/* Ask for the clipboard: DESK_EV_CLIP brings it. Errors: NO_MEMORY, those of IpcSend. */
nc_sys_err_t desk_clip_request(desk_window_t *win);

typedef struct {
	const char *text;          /* the clipboard, valid until the next desk_window_event */
	size_t len;
} desk_clip_t;

typedef enum {
	DESK_EV_NONE,              /* handled inside (WP_DONE, WP_PING) or ignored */
	DESK_EV_RESIZED,           /* a new buffer of the configured size: redraw everything */
	DESK_EV_KEY,               /* *out: wp_key_t */
	DESK_EV_POINTER,           /* *out: wp_pointer_t */
	DESK_EV_FOCUS,             /* *out: wp_focus_t */
	DESK_EV_CLOSE,             /* the user closed the window */
	DESK_EV_TASKS,             /* *out: wp_tasks_t (panels) */
	DESK_EV_CLIP,              /* *out: desk_clip_t, the clipboard asked for */
	DESK_EV_GONE,              /* the compositor closed the connection, or a new buffer could not be made */
} desk_event_t;

/* Handle one message of the connection (an inbox message of its tag). */
desk_event_t desk_window_event(desk_window_t *win, const nc_inbox_msg_t *m, const void **out);

#endif

/* The window protocol between the compositor and its clients (docs/desktop.md).
 *
 * Each client window is one channel: the session asks the compositor for a
 * connection (DESK_CTL_CONNECT on its control channel) and gives the client
 * end to the program it starts; the window lives as long as the channel.
 * Messages are the packed little-endian structures below, at most
 * WP_MSG_MAX_BYTES each, the first u32 naming the type. The compositor
 * checks every field (sizes, rectangles, handles); a message that breaks the
 * protocol closes the connection, and with it the window.
 *
 * Drawing: the client allocates its pixels (ShmCreate, width x height x 4
 * bytes, rows of width 0x00RRGGBB pixels) and sends a read-only handle with
 * WP_CREATE or WP_BUFFER. It draws, then sends WP_DAMAGE with the rectangles
 * it changed; the compositor copies them into its own copy of the window and
 * answers WP_DONE with the same serial. Between WP_DAMAGE and WP_DONE the
 * client must not touch the buffer; the compositor never reads it at any
 * other time, so a half-drawn frame is never shown (no tearing).
 *
 * Clipboard: one for the whole desktop, kept by the compositor. A client
 * sets it with WP_CLIP_SET chunks (the last one flagged; at most
 * WP_CLIP_MAX bytes in all) and asks for it with WP_CLIP_GET, answered with
 * WP_CLIP_DATA chunks in the same shape (an empty clipboard: one empty last
 * chunk).
 *
 * Liveness: the compositor sends WP_PING now and then; a client that has
 * not answered WP_PONG within WP_PING_TIMEOUT_MS, or whose channel stays full,
 * loses its window (the connection is closed). */
#ifndef NC_WPROTO_H
#define NC_WPROTO_H

#include <stdint.h>

enum {
	WP_MSG_MAX_BYTES = 240,
	WP_TITLE_MAX = 48,
	WP_DAMAGE_MAX_RECTS = 28,
	WP_WINDOW_MIN = 16,         /* smallest content width or height */
	WP_WINDOW_MAX = 4096,       /* largest */
	WP_PING_TIMEOUT_MS = 3000,
	WP_TASKS_MAX = 10,
	WP_CLIP_MAX = 16384,        /* clipboard bytes */
	WP_CLIP_CHUNK = 232,        /* bytes per clipboard message */
};

/* client -> compositor */
enum {
	WP_CREATE = 1,   /* wp_create_t + the buffer handle */
	WP_BUFFER,       /* wp_buffer_t + the buffer handle (after WP_CONFIGURE) */
	WP_DAMAGE,       /* wp_damage_t */
	WP_TITLE,        /* wp_title_t */
	WP_PONG,         /* wp_serial_t */
	WP_ACTIVATE,     /* wp_serial_t (serial = window id); panels only */
	WP_CLIP_SET,     /* wp_clip_t: a chunk of the new clipboard text */
	WP_CLIP_GET,     /* wp_type_t: send me the clipboard (WP_CLIP_DATA) */
};

/* compositor -> client */
enum {
	WP_CONFIGURE = 100, /* wp_configure_t: the content size to draw at */
	WP_DONE,            /* wp_serial_t: the damage of that serial is copied */
	WP_KEY,             /* wp_key_t */
	WP_POINTER,         /* wp_pointer_t */
	WP_FOCUS,           /* wp_focus_t */
	WP_CLOSE,           /* wp_type_t: the user closed the window; end or close the channel */
	WP_PING,            /* wp_serial_t */
	WP_TASKS,           /* wp_tasks_t: the window list (panels only) */
	WP_CLIP_DATA,       /* wp_clip_t: a chunk of the clipboard, after WP_CLIP_GET */
};

/* WP_CREATE flags */
enum {
	WP_FLAG_PANEL = 1,     /* no decoration, at the top of the screen, above
				* every window, never takes keyboard focus; gets WP_TASKS */
	WP_FLAG_FIXED = 2,     /* not resizable by the user */
};

typedef struct {
	uint32_t type;
} wp_type_t;

typedef struct {
	uint32_t type;
	uint32_t serial;
} wp_serial_t;

typedef struct {
	uint32_t type;
	uint32_t flags;
	uint16_t w, h;          /* content size, WP_WINDOW_MIN..WP_WINDOW_MAX */
	char title[WP_TITLE_MAX]; /* UTF-8, NUL-padded */
} wp_create_t;

typedef struct {
	uint32_t type;
	uint16_t w, h;          /* must equal the last WP_CONFIGURE's size */
} wp_buffer_t;

typedef struct {
	uint16_t x, y, w, h;
} wp_rect_t;

typedef struct {
	uint32_t type;
	uint32_t serial;
	uint32_t n;             /* 1..WP_DAMAGE_MAX_RECTS */
	wp_rect_t r[WP_DAMAGE_MAX_RECTS];
} wp_damage_t;

typedef struct {
	uint32_t type;
	char title[WP_TITLE_MAX];
} wp_title_t;

typedef struct {
	uint32_t type;
	uint16_t len;           /* bytes of data used, 0..WP_CLIP_CHUNK; the message is 8 + len bytes */
	uint8_t last;           /* 1: the clipboard's last chunk */
	uint8_t pad;
	char data[WP_CLIP_CHUNK]; /* UTF-8 text */
} wp_clip_t;

typedef struct {
	uint32_t type;
	uint32_t id;            /* the window's id (WP_TASKS, WP_ACTIVATE) */
	uint16_t w, h;
} wp_configure_t;

/* Keys: Linux evdev key codes (what virtio-input reports), the modifiers
 * held, and the text the key types in the keyboard layout (UTF-8, may be
 * empty: arrows, function keys, modifiers). */
enum { WP_MOD_SHIFT = 1, WP_MOD_CTRL = 2, WP_MOD_ALT = 4, WP_KEY_TEXT_MAX = 8 };
typedef struct {
	uint32_t type;
	uint16_t code;
	uint8_t pressed;        /* 1 press, 2 autorepeat, 0 release */
	uint8_t mods;
	uint8_t text_len;
	char text[WP_KEY_TEXT_MAX];
} wp_key_t;

enum { WP_BUTTON_LEFT = 1, WP_BUTTON_RIGHT = 2, WP_BUTTON_MIDDLE = 4 };
enum { WP_POINTER_MOVE = 0, WP_POINTER_PRESS, WP_POINTER_RELEASE, WP_POINTER_WHEEL };
typedef struct {
	uint32_t type;
	int16_t x, y;           /* content coordinates (may be outside while a button is held) */
	uint8_t kind;           /* WP_POINTER_* */
	uint8_t buttons;        /* held after the event */
	uint8_t button;         /* the button pressed or released */
	int8_t wheel;           /* WHEEL: +1 away from the user, -1 towards */
} wp_pointer_t;

typedef struct {
	uint32_t type;
	uint8_t focused;
} wp_focus_t;

typedef struct {
	uint32_t id;
	uint8_t focused, minimised;
	char title[14];
} wp_task_t;

typedef struct {
	uint32_t type;
	uint32_t n;
	wp_task_t t[WP_TASKS_MAX];
} wp_tasks_t;

_Static_assert(sizeof(wp_damage_t) <= WP_MSG_MAX_BYTES, "damage fits a message");
_Static_assert(sizeof(wp_tasks_t) <= WP_MSG_MAX_BYTES, "tasks fit a message");
_Static_assert(sizeof(wp_create_t) <= WP_MSG_MAX_BYTES, "create fits a message");

#endif

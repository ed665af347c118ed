/* The compositor's control channel (docs/desktop.md): held by the session
 * (user/desktop/session), which starts the compositor with it as handle 1.
 * Requests are answered in order on the same channel. The session uses it
 * to make connections for the programs it starts; in test mode it also relays the tests' questions and injected input. */
#ifndef NC_DESKCTL_H
#define NC_DESKCTL_H

#include <stdint.h>
#include <nc/wproto.h>

enum {
	DESK_CTL_CONNECT = 1,   /* deskctl_type_t -> DESK_CTL_CONNECTED + the client end of a new connection */
	DESK_CTL_STATE,         /* deskctl_type_t -> one DESK_CTL_WINDOW per window (bottom to top), then DESK_CTL_END */
	DESK_CTL_POINTER,       /* deskctl_pointer_t: move the pointer to (x, y), buttons held after */
	DESK_CTL_KEY,           /* deskctl_key_t: a key pressed or released */
	DESK_CTL_BENCH,         /* deskctl_bench_t -> DESK_CTL_BENCH_RESULT */
	DESK_CTL_SYNC,          /* deskctl_type_t -> DESK_CTL_END once everything before it is handled and drawn */
	DESK_CTL_INPUT,         /* deskctl_type_t + an input driver's event channel (nc/input.h); no answer */

	DESK_CTL_CONNECTED = 100,
	DESK_CTL_WINDOW,        /* deskctl_window_t */
	DESK_CTL_END,           /* deskctl_end_t */
	DESK_CTL_BENCH_RESULT,  /* deskctl_bench_result_t */
	DESK_CTL_REFUSED,       /* deskctl_type_t: the request could not be served */
};

typedef struct {
	uint32_t type;
} deskctl_type_t;

typedef struct {
	uint32_t type;
	int16_t x, y;
	uint8_t buttons;        /* WP_BUTTON_* held after the event */
	int8_t wheel;
} deskctl_pointer_t;

typedef struct {
	uint32_t type;
	uint16_t code;          /* evdev key code */
	uint8_t pressed;
} deskctl_key_t;

typedef struct {
	uint32_t type;
	uint32_t id;
	int16_t x, y;           /* the frame's top-left on the screen */
	uint16_t w, h;          /* the frame's size (decoration included) */
	uint16_t cw, ch;        /* the content's size */
	uint8_t focused, minimised, panel;
	uint32_t commits;       /* WP_DAMAGE messages the compositor took (frames the client drew) */
	char title[WP_TITLE_MAX];
} deskctl_window_t;

typedef struct {
	uint32_t type;
	uint32_t n_windows;
	uint64_t frames;        /* compositions so far */
	uint64_t pixels;        /* pixels composed so far */
	int16_t pointer_x, pointer_y;
	uint32_t dropped;       /* clients dropped for not answering or breaking the protocol */
	uint32_t inputs;        /* input devices attached */
	uint64_t input_events;  /* events they sent so far */
} deskctl_end_t;

typedef struct {
	uint32_t type;
	uint16_t x, y, w, h;    /* the screen rectangle to compose */
	uint32_t rounds;
} deskctl_bench_t;

typedef struct {
	uint32_t type;
	uint32_t rounds;
	uint64_t tsc_per_frame; /* median rdtsc cycles of one composition of the rectangle */
	uint64_t tsc_copy;      /* median rdtsc cycles of only copying it to the display (the baseline) */
} deskctl_bench_result_t;

#endif

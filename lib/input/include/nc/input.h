/* Input events from the input drivers to the compositor (docs/desktop.md,
 * "Input"). An input driver sends on its event channel, first one
 * nc_input_device_t saying what the device has, then nc_input_events_t
 * messages of evdev events (type, code and value numbered as Linux's
 * input-event-codes.h and the virtio-input device define them; key codes as
 * nc/keymap.h), each message ending with the SYN_REPORT that closes a report
 * or holding NC_INPUT_BATCH_MAX events of a longer one.
 *
 * nc_input_pointer_* turns one pointing device's events into the pointer's
 * place on a screen: absolute axes (a tablet) are scaled from the device's
 * range to the screen, relative ones (a mouse) move the pointer from where
 * it is; buttons and the wheel come with each report. Reentrant. */
#ifndef NC_INPUT_H
#define NC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	NC_EV_SYN = 0, NC_EV_KEY = 1, NC_EV_REL = 2, NC_EV_ABS = 3,
	NC_SYN_REPORT = 0,
	NC_REL_X = 0, NC_REL_Y = 1, NC_REL_WHEEL = 8,
	NC_ABS_X = 0, NC_ABS_Y = 1,
	NC_INPUT_FIRST_BUTTON = 0x100,   /* EV_KEY codes from here are buttons (BTN_MISC) */
};

enum { NC_INPUT_MSG_DEVICE = 1, NC_INPUT_MSG_EVENTS = 2 };
enum { NC_INPUT_HAS_KEYS = 1, NC_INPUT_HAS_REL = 2, NC_INPUT_HAS_ABS = 4 };
enum { NC_INPUT_NAME_MAX = 64, NC_INPUT_BATCH_MAX = 30 };
/* Pointer buttons, as bits (the window protocol's WP_BUTTON_* values). */
enum { NC_INPUT_BUTTON_LEFT = 1, NC_INPUT_BUTTON_RIGHT = 2, NC_INPUT_BUTTON_MIDDLE = 4 };

typedef struct {
	uint16_t type, code;
	int32_t value;
} nc_input_event_t;

typedef struct {
	uint32_t msg;                    /* NC_INPUT_MSG_DEVICE */
	uint32_t has;                    /* NC_INPUT_HAS_* */
	int32_t abs_min[2], abs_max[2];  /* X and Y, with NC_INPUT_HAS_ABS (min < max) */
	char name[NC_INPUT_NAME_MAX];    /* NUL-terminated */
} nc_input_device_t;

typedef struct {
	uint32_t msg;                    /* NC_INPUT_MSG_EVENTS */
	uint32_t n;                      /* 1..NC_INPUT_BATCH_MAX */
	nc_input_event_t ev[NC_INPUT_BATCH_MAX];
} nc_input_events_t;

/* The message in data[0..len) checked: NC_INPUT_MSG_DEVICE (a whole
 * nc_input_device_t with a NUL in its name and, with NC_INPUT_HAS_ABS,
 * min < max on both axes), NC_INPUT_MSG_EVENTS (n in 1..BATCH_MAX and len
 * exactly its events), or 0 for anything else. data must be 4-byte aligned. */
uint32_t nc_input_message_check(const void *data, size_t len);

typedef struct {
	bool abs;                        /* the device has absolute axes */
	int32_t abs_min[2], abs_max[2];
	int32_t abs_at[2];               /* last absolute values */
	bool abs_seen[2];                /* abs_at[i] holds a value */
	bool abs_moved;
	int32_t rel[2], wheel;           /* gathered since the last report */
	uint8_t buttons;                 /* NC_INPUT_BUTTON_* held */
	bool changed;                    /* something since the last report */
} nc_input_pointer_t;

typedef struct {
	int x, y;                        /* the pointer on the screen */
	uint8_t buttons;                 /* NC_INPUT_BUTTON_* held after the report */
	int wheel;                       /* notches, + away from the user */
} nc_input_report_t;

/* A pointer for the device dev describes (a checked message). */
void nc_input_pointer_init(nc_input_pointer_t *p, const nc_input_device_t *dev);
/* Take one event of p's device. At a SYN_REPORT after a change: true, and
 * *r (on entry the pointer as it is, x and y on a w x h screen) becomes the
 * pointer after the report, clamped to the screen. Other events: false.
 * Keys (codes below NC_INPUT_FIRST_BUTTON) are the caller's, and ignored. */
bool nc_input_pointer_event(nc_input_pointer_t *p, const nc_input_event_t *e, int w, int h, nc_input_report_t *r);

#endif

/* Keyboard layouts: what a key types. Keys are Linux evdev key codes
 * (linux/input-event-codes.h numbering; virtio-input reports them, and codes
 * 1..88 equal the PC's scan-code set 1). A layout maps each code, without and
 * with Shift, to a code point; the rest (Ctrl-letters, Enter, Tab, Backspace,
 * Escape) is the same in every layout. Layouts are looked up by name; "us" is
 * built in, and another is one more table in keymap.c. Reentrant. */
#ifndef NC_KEYMAP_H
#define NC_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

enum {
	NC_KEYMAP_SHIFT = 1, NC_KEYMAP_CTRL = 2, NC_KEYMAP_ALT = 4, NC_KEYMAP_CAPS = 8,
	NC_KEYMAP_TEXT_MAX = 4,   /* UTF-8 bytes of one key's text (NC_UTF8_MAX_BYTES) */
};

/* evdev codes the desktop names */
enum {
	NC_KEY_ESC = 1, NC_KEY_BACKSPACE = 14, NC_KEY_TAB = 15, NC_KEY_ENTER = 28, NC_KEY_LEFTCTRL = 29,
	NC_KEY_LEFTSHIFT = 42, NC_KEY_RIGHTSHIFT = 54, NC_KEY_LEFTALT = 56, NC_KEY_SPACE = 57,
	NC_KEY_CAPSLOCK = 58, NC_KEY_KPENTER = 96, NC_KEY_RIGHTCTRL = 97, NC_KEY_RIGHTALT = 100,
	NC_KEY_HOME = 102, NC_KEY_UP = 103, NC_KEY_PAGEUP = 104, NC_KEY_LEFT = 105, NC_KEY_RIGHT = 106,
	NC_KEY_END = 107, NC_KEY_DOWN = 108, NC_KEY_PAGEDOWN = 109, NC_KEY_INSERT = 110, NC_KEY_DELETE = 111,
	NC_KEY_MAX = 0x2ff,
	NC_BTN_LEFT = 0x110, NC_BTN_RIGHT = 0x111, NC_BTN_MIDDLE = 0x112,
};

typedef struct nc_keymap nc_keymap_t;

/* The layout called name ("us"), or NULL. */
const nc_keymap_t *nc_keymap_find(const char *name);

/* The text key code types with mods (NC_KEYMAP_* bits) in layout km, UTF-8
 * into out (NC_KEYMAP_TEXT_MAX bytes); returns its length, 0 for keys that
 * type nothing (modifiers, arrows, function keys). Ctrl with a letter gives
 * the control character (Ctrl-A 0x01 .. Ctrl-Z 0x1a); Enter "\r", Tab "\t",
 * Backspace 0x7f, Escape 0x1b. Caps Lock shifts letters only. */
size_t nc_keymap_text(const nc_keymap_t *km, uint16_t code, unsigned mods, char out[NC_KEYMAP_TEXT_MAX]);

/* Whether code is a modifier key, and which NC_KEYMAP_* bit it holds down
 * (Caps Lock toggles: the caller keeps that state). */
unsigned nc_keymap_modifier(uint16_t code);

#endif

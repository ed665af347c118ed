/* Keyboard layouts (nc/keymap.h). Each layout is two rows of code points
 * for evdev codes 0..LAYOUT_CODES-1 (the main block: digits, letters and
 * punctuation), plain and shifted; 0 types nothing. The US table follows the
 * IBM PC/AT layout as X11's "us" symbols file describes it. */
#include <nc/keymap.h>
#include <nc/mem.h>
#include <nc/utf8.h>
#include <stdbool.h>

enum { LAYOUT_CODES = 58 };

struct nc_keymap {
	const char *name;
	uint16_t plain[LAYOUT_CODES], shifted[LAYOUT_CODES];
};

static const nc_keymap_t layouts[] = {
	{ "us",
	  { 0, 0, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0, 0,
	    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', 0, 0, 'a', 's',
	    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	    'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ' },
	  { 0, 0, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0, 0,
	    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', 0, 0, 'A', 'S',
	    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	    'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ' } },
};

const nc_keymap_t *nc_keymap_find(const char *name)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (nc_str_compare(layouts[i].name, name) == 0)
			return &layouts[i];
	return NULL;
}

unsigned nc_keymap_modifier(uint16_t code)
{
	switch (code) {
	case NC_KEY_LEFTSHIFT: case NC_KEY_RIGHTSHIFT: return NC_KEYMAP_SHIFT;
	case NC_KEY_LEFTCTRL: case NC_KEY_RIGHTCTRL: return NC_KEYMAP_CTRL;
	case NC_KEY_LEFTALT: case NC_KEY_RIGHTALT: return NC_KEYMAP_ALT;
	case NC_KEY_CAPSLOCK: return NC_KEYMAP_CAPS;
	default: return 0;
	}
}

size_t nc_keymap_text(const nc_keymap_t *km, uint16_t code, unsigned mods, char out[NC_KEYMAP_TEXT_MAX])
{
	switch (code) {
	case NC_KEY_ENTER: case NC_KEY_KPENTER: out[0] = '\r'; return 1;
	case NC_KEY_TAB: out[0] = '\t'; return 1;
	case NC_KEY_BACKSPACE: out[0] = 0x7f; return 1;
	case NC_KEY_ESC: out[0] = 0x1b; return 1;
	default: break;
	}
	if (code >= LAYOUT_CODES || !km->plain[code])
		return 0;
	uint32_t base = km->plain[code];
	bool letter = (base >= 'a' && base <= 'z');
	bool shift = (mods & NC_KEYMAP_SHIFT) != 0;
	if (letter && (mods & NC_KEYMAP_CAPS))
		shift = !shift;
	uint32_t cp = shift ? km->shifted[code] : base;
	if (mods & NC_KEYMAP_CTRL) {
		if (letter) {
			out[0] = (char)(base - 'a' + 1);
			return 1;
		}
		return 0;
	}
	return nc_utf8_encode(cp, out);
}

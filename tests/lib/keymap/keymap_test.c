/* lib/keymap: the US layout key by key (every printable ASCII character is
 * typed by exactly one key, with or without Shift, as on a US keyboard),
 * Caps Lock, Ctrl-letters, the fixed keys, modifiers, unknown layouts. */
#include "nc_test.h"
#include <nc/keymap.h>
#include <nc/mem.h>

NC_TEST(keymap, us_types_every_printable_ascii_character_once)
{
	const nc_keymap_t *us = nc_keymap_find("us");
	NC_CHECK(us != NULL);
	int seen[128] = { 0 };
	for (uint16_t code = 0; code < 128; code++)
		for (unsigned shift = 0; shift <= NC_KEYMAP_SHIFT; shift += NC_KEYMAP_SHIFT) {
			if (code == 55) /* keypad '*' repeats the main block's */
				continue;
			char out[NC_KEYMAP_TEXT_MAX];
			size_t n = nc_keymap_text(us, code, shift, out);
			if (n == 1 && out[0] >= ' ' && out[0] < 127)
				seen[(int)out[0]]++;
		}
	for (int c = ' '; c < 127; c++)
		NC_CHECK_EQ(seen[c], c == ' ' ? 2 : 1); /* space types with or without Shift */
}

static const char *typed(uint16_t code, unsigned mods)
{
	static char buf[NC_KEYMAP_TEXT_MAX + 1];
	size_t n = nc_keymap_text(nc_keymap_find("us"), code, mods, buf);
	buf[n] = 0;
	return buf;
}

NC_TEST(keymap, us_keys)
{
	NC_CHECK_STR(typed(30, 0), "a");                        /* KEY_A */
	NC_CHECK_STR(typed(30, NC_KEYMAP_SHIFT), "A");
	NC_CHECK_STR(typed(30, NC_KEYMAP_CAPS), "A");
	NC_CHECK_STR(typed(30, NC_KEYMAP_CAPS | NC_KEYMAP_SHIFT), "a");
	NC_CHECK_STR(typed(2, NC_KEYMAP_CAPS), "1");            /* Caps Lock leaves digits */
	NC_CHECK_STR(typed(2, NC_KEYMAP_SHIFT), "!");
	NC_CHECK_STR(typed(41, NC_KEYMAP_SHIFT), "~");          /* KEY_GRAVE */
	NC_CHECK_STR(typed(43, 0), "\\");                       /* KEY_BACKSLASH */
	NC_CHECK_STR(typed(46, NC_KEYMAP_CTRL), "\x03");        /* Ctrl-C */
	NC_CHECK_STR(typed(44, NC_KEYMAP_CTRL | NC_KEYMAP_SHIFT), "\x1a"); /* Ctrl-Z */
	NC_CHECK_STR(typed(2, NC_KEYMAP_CTRL), "");
	NC_CHECK_STR(typed(NC_KEY_ENTER, 0), "\r");
	NC_CHECK_STR(typed(NC_KEY_KPENTER, 0), "\r");
	NC_CHECK_STR(typed(NC_KEY_TAB, 0), "\t");
	NC_CHECK_STR(typed(NC_KEY_BACKSPACE, 0), "\x7f");
	NC_CHECK_STR(typed(NC_KEY_ESC, 0), "\x1b");
	NC_CHECK_STR(typed(NC_KEY_UP, 0), "");
	NC_CHECK_STR(typed(NC_KEY_LEFTSHIFT, 0), "");
	NC_CHECK_STR(typed(NC_KEY_MAX, 0), "");
	NC_CHECK_EQ(nc_keymap_modifier(NC_KEY_RIGHTSHIFT), NC_KEYMAP_SHIFT);
	NC_CHECK_EQ(nc_keymap_modifier(NC_KEY_RIGHTCTRL), NC_KEYMAP_CTRL);
	NC_CHECK_EQ(nc_keymap_modifier(NC_KEY_LEFTALT), NC_KEYMAP_ALT);
	NC_CHECK_EQ(nc_keymap_modifier(NC_KEY_CAPSLOCK), NC_KEYMAP_CAPS);
	NC_CHECK_EQ(nc_keymap_modifier(30), 0);
	NC_CHECK(nc_keymap_find("xx") == NULL);
}

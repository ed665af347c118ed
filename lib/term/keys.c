/* What an xterm sends for keys that type no text (nc/term.h): cursor keys
 * CSI A..D (with modifiers CSI 1;m A), Home/End CSI H/F, the editing block
 * CSI n ~, F1..F4 SS3 P..S, F5..F12 CSI n ~ (xterm ctlseqs, "PC-Style
 * Function Keys"; modifier m = 1 + shift + 2 alt + 4 ctrl). */
#include <nc/fmt.h>
#include <nc/term.h>

enum { KEY_F1 = 59, KEY_F10 = 68, KEY_F11 = 87, KEY_F12 = 88 };

static size_t key_bytes(uint16_t code, unsigned mods, char *buf, size_t max)
{
	static const struct {
		uint16_t code;
		char final;   /* CSI final, or '~' with number */
		uint8_t number;
	} keys[] = {
		{ 103, 'A', 0 }, { 108, 'B', 0 }, { 106, 'C', 0 }, { 105, 'D', 0 }, { 102, 'H', 0 }, { 107, 'F', 0 },
		{ 110, '~', 2 }, { 111, '~', 3 }, { 104, '~', 5 }, { 109, '~', 6 },
		{ 63, '~', 15 }, { 64, '~', 17 }, { 65, '~', 18 }, { 66, '~', 19 }, { 67, '~', 20 }, { 68, '~', 21 },
		{ KEY_F11, '~', 23 }, { KEY_F12, '~', 24 },
	};
	unsigned m = 1 + (mods & 1 ? 1 : 0) + (mods & 4 ? 2 : 0) + (mods & 2 ? 4 : 0);
	if (code >= KEY_F1 && code < KEY_F1 + 4)
		return m == 1 ? nc_fmt_format(buf, max, "\x1bO%c", 'P' + (code - KEY_F1))
			      : nc_fmt_format(buf, max, "\x1b[1;%u%c", m, 'P' + (code - KEY_F1));
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].code != code)
			continue;
		if (keys[i].final != '~')
			return m == 1 ? nc_fmt_format(buf, max, "\x1b[%c", keys[i].final)
				      : nc_fmt_format(buf, max, "\x1b[1;%u%c", m, keys[i].final);
		return m == 1 ? nc_fmt_format(buf, max, "\x1b[%u~", keys[i].number)
			      : nc_fmt_format(buf, max, "\x1b[%u;%u~", keys[i].number, m);
	}
	return 0;
}

size_t nc_term_key_bytes(uint16_t code, unsigned mods, char *buf, size_t max)
{
	size_t n = key_bytes(code, mods, buf, max);
	return n < max ? n : 0; /* cut: send nothing rather than half a sequence */
}

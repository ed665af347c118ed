/* nc_hex_digit_value against the C library: every value a char (and EOF-like
 * negatives) can take is a digit exactly when isxdigit says so, with strtol's value. */
#include "nc_test.h"
#include <ctype.h>
#include <nc/hex.h>
#include <stdlib.h>

NC_TEST(hex, digit_values_match_isxdigit_and_strtol)
{
	for (int c = -300; c < 300; c++) {
		bool digit = c >= 0 && c <= 255 && isxdigit(c);
		int v = nc_hex_digit_value(c);
		if (!digit) {
			NC_CHECK(v == -1);
			continue;
		}
		char text[2] = {(char)c, 0};
		NC_CHECK(v == (int)strtol(text, NULL, 16));
	}
}

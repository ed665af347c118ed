/* Dates of birth: a calendar-valid date (Gregorian leap years, years
 * 1900..2099) in one of the common forms
 *   1985-03-12  1985/03/12  12/03/1985  03/12/1985  12.03.1985  12-03-1985
 *   12 March 1985  12th Mar 1985  March 12, 1985  Mar 12 1985
 * that follows a birth keyword ("born", "birth", "dob", "d.o.b") within
 * DOB_WINDOW bytes. Dates without such a keyword (meetings, invoices) are
 * not personal data here and are left alone. */
#include <nc/mem.h>
#include "token_internal.h"

#define DOB_WINDOW 32u
#define YEAR_MIN 1900u
#define YEAR_MAX 2099u

static const char *const birth_keywords[] = { "born", "birth", "dob", "d.o.b" };
static const char *const months[] = { "January", "February", "March",     "April",   "May",      "June",
				      "July",    "August",   "September", "October", "November", "December" };

static bool valid_date(unsigned y, unsigned m, unsigned d)
{
	static const uint8_t days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (unsigned)(m == 2 && leap);
}

/* Exactly n digits at t[i]; their value, or -1. */
static long digits(const char *t, size_t len, size_t i, size_t n)
{
	long v = 0;
	for (size_t k = 0; k < n; k++) {
		char c = tok_at(t, len, i + k);
		if (!tok_is_digit(c))
			return -1;
		v = v * 10 + (c - '0');
	}
	return tok_is_digit(tok_at(t, len, i + n)) ? -1 : v;
}

/* One or two digits at t[*i]; advances *i. */
static long small_number(const char *t, size_t len, size_t *i)
{
	size_t n = tok_is_digit(tok_at(t, len, *i + 1)) ? 2 : 1;
	long v = digits(t, len, *i, n);
	if (v >= 0)
		*i += n;
	return v;
}

/* A month name (full, or its first three letters) at t[*i]; 1..12 or 0. */
static unsigned month_name(const char *t, size_t len, size_t *i)
{
	for (unsigned m = 0; m < 12; m++) {
		const size_t lens[2] = { nc_str_len(months[m]), 3 };
		for (int k = 0; k < 2; k++) {
			size_t l = lens[k];
			if (len - *i >= l && nc_mem_compare(t + *i, months[m], l) == 0 &&
			    !tok_is_alpha(tok_at(t, len, *i + l))) {
				*i += l;
				return m + 1;
			}
		}
	}
	return 0;
}

/* Numeric forms: Y-M-D / Y/M/D, or D?M?Y with one separator of / . - used twice. */
static size_t numeric_date(const char *t, size_t len, size_t pos)
{
	long y = digits(t, len, pos, 4);
	char s = tok_at(t, len, pos + 4);
	if (y >= 0 && (s == '-' || s == '/')) {
		size_t i = pos + 5;
		long m = small_number(t, len, &i);
		if (m < 0 || tok_at(t, len, i) != s)
			return 0;
		i++;
		long d = small_number(t, len, &i);
		return d >= 0 && valid_date((unsigned)y, (unsigned)m, (unsigned)d) ? i - pos : 0;
	}
	size_t i = pos;
	long a = small_number(t, len, &i);
	s = tok_at(t, len, i);
	if (a < 0 || (s != '/' && s != '.' && s != '-'))
		return 0;
	i++;
	long b = small_number(t, len, &i);
	if (b < 0 || tok_at(t, len, i) != s)
		return 0;
	y = digits(t, len, i + 1, 4);
	if (y < 0)
		return 0;
	/* Day first (most of the world) or month first (US): either reading. */
	bool ok = valid_date((unsigned)y, (unsigned)b, (unsigned)a) || valid_date((unsigned)y, (unsigned)a, (unsigned)b);
	return ok ? i + 5 - pos : 0;
}

/* "12 March 1985", "12th Mar 1985", "March 12, 1985", "Mar 12 1985". */
static size_t written_date(const char *t, size_t len, size_t pos)
{
	size_t i = pos;
	long d = -1;
	unsigned m = 0;
	if (tok_is_digit(t[pos])) {
		d = small_number(t, len, &i);
		static const char *const suffix[] = { "st", "nd", "rd", "th" };
		for (int k = 0; k < 4; k++) {
			if (len - i >= 2 && t[i] == suffix[k][0] && t[i + 1] == suffix[k][1]) {
				i += 2;
				break;
			}
		}
		if (tok_at(t, len, i) != ' ')
			return 0;
		i++;
		m = month_name(t, len, &i);
	} else {
		m = month_name(t, len, &i);
		if (m == 0 || tok_at(t, len, i) != ' ')
			return 0;
		i++;
		d = small_number(t, len, &i);
		i += tok_at(t, len, i) == ',';
	}
	if (m == 0 || d < 0 || tok_at(t, len, i) != ' ')
		return 0;
	long y = digits(t, len, i + 1, 4);
	return y >= 0 && valid_date((unsigned)y, m, (unsigned)d) ? i + 5 - pos : 0;
}

size_t tok_dob(const char *t, size_t len, size_t pos)
{
	size_t n = numeric_date(t, len, pos);
	if (n == 0)
		n = written_date(t, len, pos);
	if (n == 0 || tok_is_alnum(tok_at(t, len, pos + n)))
		return 0;
	return tok_keyword_before(t, pos, DOB_WINDOW, birth_keywords, sizeof birth_keywords / sizeof birth_keywords[0])
		       ? n
		       : 0;
}

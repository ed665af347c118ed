/* Number-shaped personal data: phone numbers, payment cards (Luhn, ISO/IEC
 * 7812-1 Annex B) and IBANs (ISO 13616, check digits ISO 7064 MOD 97-10).
 * The shapes accepted, and the look-alikes they are built to refuse (dates,
 * ISBNs, SSNs, ZIP+4 codes, version numbers, order numbers), are listed in
 * docs/privacy.md; tests/lib/privacy/token_detect_host_test.c measures them. */
#include <nc/mem.h>
#include "token_internal.h"

#define PHONE_MIN_DIGITS 7u
#define PHONE_MAX_DIGITS 15u  /* E.164 */
#define PHONE_MAX_GROUPS 16u
#define CARD_MIN_DIGITS 13u
#define CARD_MAX_DIGITS 19u
#define IBAN_MIN_CHARS 15u
#define IBAN_MAX_CHARS 34u

static const char *const phone_keywords[] = { "tel", "phone", "call", "mobile", "cell", "fax", "whatsapp", "sms" };

/* ---- phone ---------------------------------------------------------------------- */

typedef struct {
	size_t n_groups, digits, end;
	uint8_t group[PHONE_MAX_GROUPS];
	bool plus, paren_first, grouped;
} phone_shape_t;

/* Digit groups separated by one ' ', '-' or '.', the first or second group
 * optionally in parentheses, an optional leading '+'. */
static bool phone_shape(const char *t, size_t len, size_t pos, phone_shape_t *p)
{
	nc_mem_set(p, 0, sizeof *p);
	size_t i = pos;
	p->plus = t[i] == '+';
	i += p->plus;
	for (;;) {
		bool paren = tok_at(t, len, i) == '(' && p->n_groups < 2;
		i += paren;
		size_t start = i;
		while (i < len && tok_is_digit(t[i]))
			i++;
		size_t n = i - start;
		if (n == 0 || p->n_groups == PHONE_MAX_GROUPS || (paren && tok_at(t, len, i) != ')'))
			return false;
		i += paren;
		p->paren_first |= paren && p->n_groups == 0;
		p->group[p->n_groups++] = (uint8_t)(n > 255 ? 255 : n);
		p->digits += n;
		char c = tok_at(t, len, i), d = tok_at(t, len, i + 1);
		if (paren && tok_is_digit(c)) {
			p->grouped = true;
			continue;
		}
		bool sep = c == ' ' || c == '-' || (c == '.' && !paren);
		if (sep && (tok_is_digit(d) || (d == '(' && p->n_groups < 2))) {
			p->grouped = true;
			i++;
			continue;
		}
		break;
	}
	p->end = i;
	return !tok_is_alnum(tok_at(t, len, i));
}

/* A number that continues a longer one ("4523 6051 ..." at "6051") or ends a
 * hyphenated identifier ("ORD-2023-277428" at "2023") is not a phone or card. */
static bool inside_identifier(const char *t, size_t pos)
{
	if (pos < 2)
		return false;
	char p = t[pos - 1], q = t[pos - 2];
	return ((p == '-' || p == '.' || p == '/' || p == '_') && tok_is_alnum(q)) || (p == ' ' && tok_is_digit(q));
}

static bool all_2(const phone_shape_t *p)
{
	for (size_t g = 0; g < p->n_groups; g++) {
		if (p->group[g] != 2)
			return false;
	}
	return true;
}

size_t tok_phone(const char *t, size_t len, size_t pos)
{
	phone_shape_t p;
	if (inside_identifier(t, pos) || !phone_shape(t, len, pos, &p) || p.digits < PHONE_MIN_DIGITS || p.digits > PHONE_MAX_DIGITS)
		return 0;
	size_t n = p.end - pos;
	if (p.plus)
		return p.digits >= 8 ? n : 0;
	if (!p.grouped) /* a bare run of digits: only after a phone keyword */
		return tok_keyword_before(t, pos, 20, phone_keywords, sizeof phone_keywords / sizeof phone_keywords[0])
			       ? n
			       : 0;
	if (p.digits < 9 || p.digits > 12)
		return 0;
	if (p.n_groups == 5 && all_2(&p)) /* 01 23 45 67 89 */
		return n;
	if (p.group[p.n_groups - 1] < 4) /* subscriber numbers end in 4 digits or more */
		return 0;
	bool later_3 = true;
	for (size_t g = 1; g < p.n_groups; g++)
		later_3 = later_3 && p.group[g] >= 3;
	if (p.paren_first && p.group[0] >= 2 && p.group[0] <= 4 && later_3) /* (415) 555-2671 */
		return n;
	if (p.n_groups >= 3 && p.group[0] >= 2 && later_3) /* 415-555-2671, 020 7946 0958 */
		return n;
	if (p.n_groups == 2 && p.group[0] >= 3 && p.group[1] >= 6) /* 07700 900123 */
		return n;
	if (p.n_groups == 4 && p.group[0] == 1 && p.group[1] == 3 && p.group[2] == 3 && p.group[3] == 4)
		return n; /* 1 415 555 2671: a North American number after its trunk prefix */
	return 0;
}

/* ---- payment cards ---------------------------------------------------------------- */

unsigned tok_luhn_check_digit(const uint8_t *digits, size_t n)
{
	unsigned sum = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned d = digits[n - 1 - k];
		if (k % 2 == 0) { /* doubled: the check digit will be to its right */
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

bool tok_luhn_valid(const uint8_t *digits, size_t n)
{
	return n >= 2 && tok_luhn_check_digit(digits, n - 1) == digits[n - 1];
}

/* 13..19 digits, compact or in groups (first 4, the others 3..6) joined by
 * one consistent ' ' or '-', an issuer digit 2..6 first, Luhn-valid. */
size_t tok_card(const char *t, size_t len, size_t pos)
{
	uint8_t d[CARD_MAX_DIGITS];
	size_t n = 0, i = pos, groups = 0, first = 0;
	if (inside_identifier(t, pos))
		return 0;
	bool groups_ok = true;
	char sep = 0;
	for (;;) {
		size_t start = i;
		while (i < len && tok_is_digit(t[i])) {
			if (n == CARD_MAX_DIGITS)
				return 0;
			d[n++] = (uint8_t)(t[i++] - '0');
		}
		size_t g = i - start;
		if (g == 0)
			return 0;
		if (groups++ == 0)
			first = g;
		else
			groups_ok = groups_ok && g >= 3 && g <= 6;
		char c = tok_at(t, len, i);
		if ((c == ' ' || c == '-') && (sep == 0 || sep == c) && tok_is_digit(tok_at(t, len, i + 1))) {
			sep = c;
			i++;
			continue;
		}
		break;
	}
	if (tok_is_alnum(tok_at(t, len, i)) || n < CARD_MIN_DIGITS || d[0] < 2 || d[0] > 6)
		return 0;
	if (groups > 1 && (first != 4 || !groups_ok))
		return 0;
	return tok_luhn_valid(d, n) ? i - pos : 0;
}

/* ---- IBAN ------------------------------------------------------------------------------ */

/* ISO 13616 lengths of the registry's countries (SWIFT IBAN registry). */
static const char iban_lengths[][5] = {
	"AD24", "AE23", "AL28", "AT20", "AZ28", "BA20", "BE16", "BG22", "BH22", "BR29", "CH21", "CR22", "CY28",
	"CZ24", "DE22", "DK18", "DO28", "EE20", "ES24", "FI18", "FO18", "FR27", "GB22", "GE22", "GI23", "GL18",
	"GR27", "GT28", "HR21", "HU28", "IE22", "IL23", "IS26", "IT27", "JO30", "KW30", "KZ20", "LB28", "LI21",
	"LT20", "LU20", "LV21", "MC27", "MD24", "ME22", "MK19", "MR27", "MT31", "MU30", "NL18", "NO15", "PK24",
	"PL28", "PS29", "PT25", "QA29", "RO24", "RS22", "SA24", "SE24", "SI19", "SK24", "SM27", "TN24", "TR26",
	"UA29", "VG24", "XK20",
};

size_t tok_iban_country_length(const char *cc)
{
	for (size_t i = 0; i < sizeof iban_lengths / sizeof iban_lengths[0]; i++) {
		if (iban_lengths[i][0] == cc[0] && iban_lengths[i][1] == cc[1])
			return (size_t)((iban_lengths[i][2] - '0') * 10 + (iban_lengths[i][3] - '0'));
	}
	return 0;
}

unsigned tok_iban_mod97(const char *chars, size_t n)
{
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		char c = chars[(k + 4) % n]; /* the first four characters move to the end */
		if (tok_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r;
}

/* CC, two check digits, the BBAN in upper-case letters and digits; compact,
 * or in groups of four separated by one space. The country's registered
 * length when known, else 15..34; MOD 97 must give 1. */
size_t tok_iban(const char *t, size_t len, size_t pos)
{
	if (len - pos < IBAN_MIN_CHARS || !tok_is_upper(t[pos]) || !tok_is_upper(t[pos + 1]) ||
	    !tok_is_digit(t[pos + 2]) || !tok_is_digit(t[pos + 3]))
		return 0;
	size_t want = tok_iban_country_length(t + pos);
	bool grouped = tok_at(t, len, pos + 4) == ' ';
	char chars[IBAN_MAX_CHARS];
	size_t end[IBAN_MAX_CHARS]; /* text position after each character */
	size_t n = 0, i = pos;
	while (n < IBAN_MAX_CHARS && i < len && (tok_is_upper(t[i]) || tok_is_digit(t[i]))) {
		chars[n] = t[i++];
		end[n++] = i;
		if (grouped && n % 4 == 0 && tok_at(t, len, i) == ' ' &&
		    (tok_is_upper(tok_at(t, len, i + 1)) || tok_is_digit(tok_at(t, len, i + 1))))
			i++;
	}
	size_t m = want ? want : n;
	if (n < m || m < IBAN_MIN_CHARS || tok_is_alnum(tok_at(t, len, end[m - 1])))
		return 0;
	return tok_iban_mod97(chars, m) == 1 ? end[m - 1] - pos : 0;
}

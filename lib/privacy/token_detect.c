/* The tokenizer's detection pass: at every word start try every detector,
 * keep the longest match (ties go to the earlier kind in nc_token_kind_t
 * order, so a Luhn-valid card wins over a phone reading of the same digits),
 * and continue after it. E-mail addresses and names are matched here; the
 * number-shaped kinds live in token_numbers.c, token_net.c and token_date.c. */
#include <nc/mem.h>
#include "token_internal.h"

bool tok_keyword_before(const char *t, size_t pos, size_t window, const char *const *keywords, size_t n)
{
	size_t from = pos > window ? pos - window : 0;
	for (size_t k = 0; k < n; k++) {
		size_t kl = nc_str_len(keywords[k]);
		for (size_t i = from; i + kl <= pos; i++) {
			size_t j = 0;
			while (j < kl && (char)(t[i + j] | (tok_is_upper(t[i + j]) ? 0x20 : 0)) == keywords[k][j])
				j++;
			if (j == kl)
				return true;
		}
	}
	return false;
}

static bool local_char(char c)
{
	return tok_is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* local@label.label...tld: local part 1..64 bytes, no leading, trailing or
 * doubled dot; two labels or more, each 1..63 of [A-Za-z0-9-] not starting
 * or ending with '-'; the last (TLD) 2..24 letters. */
size_t tok_email(const char *t, size_t len, size_t pos)
{
	size_t i = pos;
	while (i < len && local_char(t[i]))
		i++;
	size_t local = i - pos;
	if (local == 0 || local > 64 || tok_at(t, len, i) != '@' || t[pos] == '.' || t[i - 1] == '.')
		return 0;
	for (size_t k = pos; k + 1 < i; k++) {
		if (t[k] == '.' && t[k + 1] == '.')
			return 0;
	}
	size_t end = ++i, labels = 0, last_start = i;
	bool last_alpha = false;
	while (i < len) {
		size_t start = i;
		bool alpha = true;
		while (i < len && (tok_is_alnum(t[i]) || t[i] == '-')) {
			alpha = alpha && tok_is_alpha(t[i]);
			i++;
		}
		size_t l = i - start;
		if (l == 0 || l > 63 || t[start] == '-' || t[i - 1] == '-')
			break;
		labels++;
		end = i;
		last_start = start;
		last_alpha = alpha;
		if (tok_at(t, len, i) != '.' || !tok_is_alnum(tok_at(t, len, i + 1)))
			break;
		i++;
	}
	size_t tld = end - last_start;
	if (labels < 2 || !last_alpha || tld < 2 || tld > 24 || end - pos > NC_TOKEN_MAX_VALUE_BYTES - 1)
		return 0;
	char next = tok_at(t, len, end);
	if (tok_is_alnum(next) || next == '@' || next == '-' || next == '_')
		return 0;
	return end - pos;
}

/* The longest listed name at pos that ends at a word boundary. */
static size_t match_name(const char *t, size_t len, size_t pos, const nc_token_name_t *names, size_t n)
{
	size_t best = 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = names[k].len;
		if (l > best && l <= len - pos && nc_mem_compare(t + pos, names[k].s, l) == 0 &&
		    !tok_is_alnum(tok_at(t, len, pos + l)))
			best = l;
	}
	return best;
}

bool tok_detect_next(const char *text, size_t len, size_t pos, const nc_token_name_t *names, size_t n_names,
		     nc_token_match_t *m)
{
	typedef size_t (*detector_fn)(const char *, size_t, size_t);
	static const detector_fn detectors[] = {
		[NC_TOKEN_EMAIL] = tok_email, [NC_TOKEN_PHONE] = tok_phone, [NC_TOKEN_CARD] = tok_card,
		[NC_TOKEN_IBAN] = tok_iban,   [NC_TOKEN_IPV4] = tok_ipv4,   [NC_TOKEN_IPV6] = tok_ipv6,
		[NC_TOKEN_DOB] = tok_dob,
	};
	/* Detector order for ties: card and IBAN before phone. */
	static const nc_token_kind_t order[] = { NC_TOKEN_EMAIL, NC_TOKEN_CARD, NC_TOKEN_IBAN, NC_TOKEN_IPV6,
						 NC_TOKEN_IPV4, NC_TOKEN_DOB,  NC_TOKEN_PHONE };
	for (; pos < len; pos++) {
		if (pos > 0 && (tok_is_alnum(text[pos - 1]) || text[pos - 1] == '_'))
			continue;
		size_t best = 0;
		nc_token_kind_t kind = NC_TOKEN_EMAIL;
		for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
			size_t l = detectors[order[k]](text, len, pos);
			if (l > best) {
				best = l;
				kind = order[k];
			}
		}
		size_t l = match_name(text, len, pos, names, n_names);
		if (l > best) {
			best = l;
			kind = NC_TOKEN_NAME;
		}
		if (best > 0) {
			*m = (nc_token_match_t){ .kind = kind, .start = pos, .len = best };
			return true;
		}
	}
	return false;
}

size_t nc_token_detect(const char *text, size_t len, const nc_token_name_t *names, size_t n_names,
		       nc_token_match_t *out, size_t max_out)
{
	size_t found = 0, pos = 0;
	nc_token_match_t m;
	while (tok_detect_next(text, len, pos, names, n_names, &m)) {
		if (found < max_out)
			out[found] = m;
		found++;
		pos = m.start + m.len + 1; /* never adjacent: see nc/token.h */
	}
	return found;
}

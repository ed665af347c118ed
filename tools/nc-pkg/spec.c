/* Manifest source parsing for nc-pkg (see spec.h). Pure: no I/O, no
 * allocation, so the fuzzer drives it directly. */
#include "spec.h"
#include <nc/hex.h>
#include <string.h>

enum { LINE_MAX_BYTES = 512, WORDS_MAX = 4 };

/* Split line into at most WORDS_MAX blank-separated words (in place). */
static int split(char *line, char **w)
{
	int n = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		if (n == WORDS_MAX)
			return WORDS_MAX + 1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static bool number(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		int d = nc_hex_digit_value(*s);
		if (d < 0 || d >= base || (uint64_t)d > max || v > (max - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

static bool copy_word(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* One directive; false with *why on error. seen: bit per single directive. */
static bool directive(char **w, int n, nc_drvpkg_manifest_t *m, unsigned *seen, const char **why)
{
	static const char *const once[] = { "name", "version", "vendor", "device", "class", "irq-vectors",
					    "dma-budget" };
	uint64_t v = 0;
	for (unsigned i = 0; i < sizeof once / sizeof once[0]; i++)
		if (!strcmp(w[0], once[i])) {
			if (*seen >> i & 1)
				return *why = "directive repeated", false;
			*seen |= 1u << i;
		}
	const char *cmd = w[0];
	if (!strcmp(cmd, "offer")) {
		if (n != 3)
			return *why = "offer needs ACTION SCOPE", false;
		if (m->n_offers == NC_DRVPKG_OFFERS_MAX)
			return *why = "too many offers", false;
		nc_drvpkg_offer_t *o = &m->offers[m->n_offers++];
		if (!copy_word(o->action, sizeof o->action, w[1]) || !copy_word(o->scope, sizeof o->scope, w[2]))
			return *why = "offer too long", false;
		return true;
	}
	if (n != 2)
		return *why = "expected one value", false;
	if (!strcmp(cmd, "name"))
		return copy_word(m->name, sizeof m->name, w[1]) || (*why = "name too long", false);
	bool ok;
	if (!strcmp(cmd, "version") && (ok = number(w[1], UINT32_MAX, &v)))
		m->version = (uint32_t)v;
	else if (!strcmp(cmd, "vendor") && (ok = number(w[1], UINT16_MAX, &v)))
		m->has_vendor = true, m->vendor = (uint16_t)v;
	else if (!strcmp(cmd, "device") && (ok = number(w[1], UINT16_MAX, &v)))
		m->has_device = true, m->device = (uint16_t)v;
	else if (!strcmp(cmd, "class") && (ok = number(w[1], 0xffffff, &v)))
		m->has_class = true, m->class_code = (uint32_t)v;
	else if (!strcmp(cmd, "bar") && (ok = number(w[1], NC_DRVPKG_BARS - 1, &v) && m->n_bars < NC_DRVPKG_BARS))
		m->bars[m->n_bars++] = (uint8_t)v;
	else if (!strcmp(cmd, "irq-vectors") && (ok = number(w[1], NC_DRVPKG_VECTORS_MAX, &v)))
		m->irq_vectors = (uint16_t)v;
	else if (!strcmp(cmd, "dma-budget") && (ok = number(w[1], NC_DRVPKG_DMA_MAX_BYTES, &v)))
		m->dma_budget_bytes = v;
	else
		return *why = "unknown directive or bad value", false;
	return ok;
}

bool spec_parse(const char *text, size_t len, nc_drvpkg_manifest_t *m, size_t *bad_line, const char **why)
{
	memset(m, 0, sizeof *m);
	unsigned seen = 0;
	size_t line_no = 0;
	for (size_t at = 0; at < len;) {
		char line[LINE_MAX_BYTES];
		size_t end = at;
		while (end < len && text[end] != '\n')
			end++;
		line_no++;
		*bad_line = line_no;
		if (end - at >= sizeof line)
			return *why = "line too long", false;
		if (memchr(text + at, 0, end - at))
			return *why = "NUL byte", false;
		memcpy(line, text + at, end - at);
		line[end - at] = 0;
		at = end + 1;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *w[WORDS_MAX];
		int n = split(line, w);
		if (n == 0)
			continue;
		if (n > WORDS_MAX)
			return *why = "too many words", false;
		if (!directive(w, n, m, &seen, why))
			return false;
	}
	*bad_line = 0;
	if (!(seen & 1))
		return *why = "no name", false;
	if (nc_drvpkg_manifest_check(m))
		return *why = "the manifest breaks a rule of nc/drvpkg.h", false;
	return true;
}

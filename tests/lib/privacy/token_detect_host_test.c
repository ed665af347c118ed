/* Precision and recall of nc_token_detect on the labelled test set
 * tests/lib/privacy/data/pii_labelled.txt (1200 sentences made by
 * pii_gen.py, its positives checked by python-stdnum, ipaddress and
 * datetime; see there). A predicted item counts as a true positive only with
 * the gold item's kind and exact span. Goal (issue 20): precision and recall
 * >= 0.99 for each structured kind (all but names); names are measured and
 * must reach 0.95. The per-kind table is printed as test notes
 * (docs/privacy.md quotes it). Host only: it reads a file. */
#include "nc_test.h"
#include <nc/token.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 1024
#define MAX_ITEMS 16

typedef struct {
	size_t tp, fp, fn;
} score_t;

static nc_token_kind_t kind_of(const char *s, size_t n)
{
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		if (strlen(nc_token_kind_name((nc_token_kind_t)k)) == n &&
		    memcmp(s, nc_token_kind_name((nc_token_kind_t)k), n) == 0)
			return (nc_token_kind_t)k;
	}
	return NC_TOKEN_KINDS;
}

/* Strip the [[kind|value]] marks of line into text; gold items into g. */
static bool parse_line(const char *line, char *text, size_t *len, nc_token_match_t *g, size_t *n_gold)
{
	size_t n = 0, ng = 0;
	for (const char *p = line; *p && *p != '\n';) {
		if (p[0] == '[' && p[1] == '[') {
			const char *bar = strchr(p, '|'), *end = strstr(p, "]]");
			if (!bar || !end || bar > end || ng == MAX_ITEMS)
				return false;
			nc_token_kind_t k = kind_of(p + 2, (size_t)(bar - p - 2));
			if (k == NC_TOKEN_KINDS)
				return false;
			g[ng++] = (nc_token_match_t){ .kind = k, .start = n, .len = (size_t)(end - bar - 1) };
			memcpy(text + n, bar + 1, (size_t)(end - bar - 1));
			n += (size_t)(end - bar - 1);
			p = end + 2;
		} else {
			text[n++] = *p++;
		}
	}
	*len = n;
	*n_gold = ng;
	return true;
}

NC_TEST(token, detect_precision_recall_labelled_set)
{
	FILE *f = fopen("tests/lib/privacy/data/pii_labelled.txt", "r");
	NC_CHECK(f != NULL);
	static char line[MAX_LINE], text[MAX_LINE], names_buf[4096];
	nc_token_name_t names[64];
	size_t n_names = 0, lines = 0;
	score_t sc[NC_TOKEN_KINDS] = { { 0 } };
	int shown = 0;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "# names: ", 9) == 0) {
			strncpy(names_buf, line + 9, sizeof names_buf - 1);
			for (char *p = names_buf; *p && *p != '\n' && n_names < 64;) {
				char *e = p + strcspn(p, "|\n");
				names[n_names++] = (nc_token_name_t){ p, (size_t)(e - p) };
				p = *e == '|' ? e + 1 : e;
			}
			continue;
		}
		nc_token_match_t gold[MAX_ITEMS], got[MAX_ITEMS];
		size_t len = 0, n_gold = 0;
		NC_CHECK(parse_line(line, text, &len, gold, &n_gold));
		lines++;
		size_t n_got = nc_token_detect(text, len, names, n_names, got, MAX_ITEMS);
		NC_CHECK(n_got <= MAX_ITEMS);
		bool gold_hit[MAX_ITEMS] = { false };
		for (size_t i = 0; i < n_got; i++) {
			bool hit = false;
			for (size_t j = 0; j < n_gold && !hit; j++) {
				if (!gold_hit[j] && gold[j].kind == got[i].kind && gold[j].start == got[i].start &&
				    gold[j].len == got[i].len)
					hit = gold_hit[j] = true;
			}
			sc[got[i].kind].tp += hit;
			sc[got[i].kind].fp += !hit;
			if (!hit && shown++ < 10)
				nc_test_note("false positive %s: \"%.*s\" in: %.*s", nc_token_kind_name(got[i].kind),
					     (int)got[i].len, text + got[i].start, (int)len, text);
		}
		for (size_t j = 0; j < n_gold; j++) {
			if (gold_hit[j])
				continue;
			sc[gold[j].kind].fn++;
			if (shown++ < 10)
				nc_test_note("missed %s: \"%.*s\" in: %.*s", nc_token_kind_name(gold[j].kind),
					     (int)gold[j].len, text + gold[j].start, (int)len, text);
		}
	}
	fclose(f);
	nc_test_note("%zu lines; kind: items, true positives, false positives, missed, precision, recall", lines);
	bool ok = lines >= 1000;
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		const score_t *s = &sc[k];
		/* in units of 1/10000 (the note printer has no floating point) */
		size_t p = s->tp + s->fp ? s->tp * 10000 / (s->tp + s->fp) : 10000;
		size_t r = s->tp + s->fn ? s->tp * 10000 / (s->tp + s->fn) : 10000;
		nc_test_note("%-5s: %4zu, %4zu, %3zu, %3zu, precision %zu.%04zu, recall %zu.%04zu",
			     nc_token_kind_name((nc_token_kind_t)k), s->tp + s->fn, s->tp, s->fp, s->fn, p / 10000,
			     p % 10000, r / 10000, r % 10000);
		size_t goal = k == NC_TOKEN_NAME ? 9500 : 9900;
		ok = ok && s->tp + s->fn >= 50 && p >= goal && r >= goal;
	}
	NC_CHECK(ok);
}

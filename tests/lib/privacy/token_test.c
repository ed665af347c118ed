/* lib/privacy session tokens: tokenize / detokenize round trips,
 * determinism within a session and unlinkability across sessions, the
 * format-preserving forms (each token detected again as its own kind and
 * passing its check digits), typed token syntax, the KEEP action, table and
 * buffer exhaustion, policy and name errors, and detector edge cases.
 * Freestanding-clean: also runs inside NexaCore (libtests). Precision and
 * recall on the labelled set: token_detect_host_test.c. */
#include "nc_test.h"
#include "text_util.h"
#include <nc/mem.h>
#include <nc/token.h>

static const uint8_t key_a[32] = { 0xa1 }, key_b[32] = { 0xb2 };
static const nc_token_name_t names[] = { { "Alice Johnson", 13 }, { "Alice", 5 }, { "Bob", 3 } };
static uint8_t arena[4096];

static void start(nc_token_session_t *s, const uint8_t *key, nc_token_action_t all, nc_token_action_t numbers)
{
	uint8_t action[NC_TOKEN_KINDS];
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		action[k] = (uint8_t)(nc_token_kind_has_format((nc_token_kind_t)k) ? numbers : all);
	nc_token_session_init(s, key, action, names, 3, arena, sizeof arena);
}

static const char sample[] = "Alice Johnson <alice@example.com> paid 4111 1111 1111 1111 from 203.0.113.7, "
			     "IBAN DE89 3704 0044 0532 0130 00, tel +44 20 7946 0958, host 2001:db8::8a2e:370:7334, "
			     "born 12 March 1985. Bob too.";

NC_TEST(token, typed_round_trip_and_determinism)
{
	nc_token_session_t s;
	start(&s, key_a, NC_TOKEN_TYPED, NC_TOKEN_TYPED);
	char out[512], again[512], back[512];
	size_t n = 0, n2 = 0, nb = 0, counts[NC_TOKEN_KINDS];
	NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, out, sizeof out, &n, counts), NC_TOKEN_OK);
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		NC_CHECK_EQ(counts[k], k == NC_TOKEN_NAME ? 2 : 1);
	/* None of the personal data is left; typed tokens stand in its place. */
	static const char *const secrets[] = { "alice@", "4111", "203.0.113", "DE89", "7946", "2001:db8", "1985",
					       "Alice", "Bob" };
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		NC_CHECK(!text_contains(out, n, secrets[i]));
	NC_CHECK(text_contains(out, n, "<email:") && text_contains(out, n, "<card:") && text_contains(out, n, "<name:"));
	/* The same value gets the same token again; the table does not grow. */
	size_t entries = s.n_entries;
	NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, again, sizeof again, &n2, NULL), NC_TOKEN_OK);
	NC_CHECK(n2 == n && nc_mem_compare(out, again, n) == 0);
	NC_CHECK_EQ(s.n_entries, entries);
	NC_CHECK_EQ(nc_token_detokenize(&s, out, n, back, sizeof back, &nb), NC_TOKEN_OK);
	NC_CHECK(nb == sizeof sample - 1 && nc_mem_compare(back, sample, nb) == 0);
	nc_token_session_fini(&s);
}

NC_TEST(token, sessions_are_unlinkable)
{
	nc_token_session_t a, b;
	char ta[512], tb[512], back[512];
	size_t na = 0, nb = 0, n = 0;
	start(&a, key_a, NC_TOKEN_TYPED, NC_TOKEN_FORMAT);
	NC_CHECK_EQ(nc_token_tokenize(&a, sample, sizeof sample - 1, ta, sizeof ta, &na, NULL), NC_TOKEN_OK);
	nc_token_session_fini(&a);
	static uint8_t arena_b[4096];
	uint8_t action[NC_TOKEN_KINDS];
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		action[k] = nc_token_kind_has_format((nc_token_kind_t)k) ? NC_TOKEN_FORMAT : NC_TOKEN_TYPED;
	NC_CHECK_EQ(nc_token_session_init(&b, key_b, action, names, 3, arena_b, sizeof arena_b), NC_TOKEN_OK);
	NC_CHECK_EQ(nc_token_tokenize(&b, sample, sizeof sample - 1, tb, sizeof tb, &nb, NULL), NC_TOKEN_OK);
	/* No token of one session appears in the other's output. */
	nc_token_match_t m[16];
	size_t found = nc_token_detect(tb, nb, NULL, 0, m, 16);
	for (size_t i = 0; i < found && i < 16; i++) {
		char tok[64] = { 0 };
		nc_mem_copy(tok, tb + m[i].start, m[i].len < 63 ? m[i].len : 63);
		NC_CHECK(!text_contains(ta, na, tok));
	}
	/* And session b cannot map back a's tokens: they stay as they are. */
	NC_CHECK_EQ(nc_token_detokenize(&b, ta, na, back, sizeof back, &n), NC_TOKEN_OK);
	NC_CHECK(n == na && nc_mem_compare(back, ta, n) == 0);
	nc_token_session_fini(&b);
}

NC_TEST(token, format_preserving_forms_keep_their_shape)
{
	nc_token_session_t s;
	start(&s, key_a, NC_TOKEN_TYPED, NC_TOKEN_FORMAT);
	static const struct {
		const char *text;
		nc_token_kind_t kind;
	} items[] = {
		{ "tel +44 20 7946 0958 now", NC_TOKEN_PHONE },       { "tel (415) 555-2671 now", NC_TOKEN_PHONE },
		{ "card 4111 1111 1111 1111 now", NC_TOKEN_CARD },     { "card 378282246310005 now", NC_TOKEN_CARD },
		{ "iban DE89 3704 0044 0532 0130 00 now", NC_TOKEN_IBAN }, { "iban GB29NWBK60161331926819 now", NC_TOKEN_IBAN },
		{ "ip 203.0.113.7 now", NC_TOKEN_IPV4 },               { "ip 2001:db8::8a2e:370:7334 now", NC_TOKEN_IPV6 },
	};
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		char out[128], back[128];
		size_t n = 0, nb = 0, len = nc_str_len(items[i].text);
		nc_token_match_t in_m, out_m;
		NC_CHECK_EQ(nc_token_detect(items[i].text, len, NULL, 0, &in_m, 1), 1);
		NC_CHECK_EQ(in_m.kind, items[i].kind);
		NC_CHECK_EQ(nc_token_tokenize(&s, items[i].text, len, out, sizeof out, &n, NULL), NC_TOKEN_OK);
		/* The token is found again as the same kind: the right shape and
		 * check digits (Luhn, MOD 97), a valid address. */
		NC_CHECK_EQ(nc_token_detect(out, n, NULL, 0, &out_m, 1), 1);
		NC_CHECK_EQ(out_m.kind, items[i].kind);
		NC_CHECK(out_m.len != in_m.len || nc_mem_compare(out + out_m.start, items[i].text + in_m.start, in_m.len) != 0);
		if (items[i].kind != NC_TOKEN_IPV6 && items[i].kind != NC_TOKEN_IPV4)
			NC_CHECK_EQ(n, len); /* same length, separators in place */
		NC_CHECK_EQ(nc_token_detokenize(&s, out, n, back, sizeof back, &nb), NC_TOKEN_OK);
		NC_CHECK(nb == len && nc_mem_compare(back, items[i].text, len) == 0);
	}
	/* The country code and the card's issuer digit stay. */
	char out[64];
	size_t n = 0;
	NC_CHECK_EQ(nc_token_tokenize(&s, "tel +44 20 7946 0958", 20, out, sizeof out, &n, NULL), NC_TOKEN_OK);
	NC_CHECK(nc_mem_compare(out, "tel +44 ", 8) == 0);
	NC_CHECK_EQ(nc_token_tokenize(&s, "4111 1111 1111 1111", 19, out, sizeof out, &n, NULL), NC_TOKEN_OK);
	NC_CHECK_EQ(out[0], '4');
	nc_token_session_fini(&s);
}

NC_TEST(token, keep_action_and_errors)
{
	nc_token_session_t s;
	uint8_t action[NC_TOKEN_KINDS] = { 0 };
	action[NC_TOKEN_EMAIL] = NC_TOKEN_TYPED;
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, names, 3, arena, sizeof arena), NC_TOKEN_OK);
	char out[256];
	size_t n = 0;
	NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, out, sizeof out, &n, NULL), NC_TOKEN_OK);
	NC_CHECK(!text_contains(out, n, "alice@example.com") && text_contains(out, n, "4111 1111 1111 1111") &&
		 text_contains(out, n, "Alice Johnson"));
	/* Output buffer and table exhaustion. */
	NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, out, 20, &n, NULL), NC_TOKEN_ERR_SPACE);
	NC_CHECK_EQ(n, 0);
	uint8_t tiny[16];
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, names, 3, tiny, sizeof tiny), NC_TOKEN_OK);
	NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, out, sizeof out, &n, NULL), NC_TOKEN_ERR_FULL);
	/* Policy and names. */
	action[NC_TOKEN_EMAIL] = NC_TOKEN_FORMAT;
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, names, 3, arena, sizeof arena), NC_TOKEN_ERR_POLICY);
	action[NC_TOKEN_EMAIL] = 3;
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, names, 3, arena, sizeof arena), NC_TOKEN_ERR_POLICY);
	action[NC_TOKEN_EMAIL] = NC_TOKEN_TYPED;
	const nc_token_name_t empty[1] = { { "", 0 } };
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, empty, 1, arena, sizeof arena), NC_TOKEN_ERR_NAMES);
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, names, NC_TOKEN_MAX_NAMES + 1, arena, sizeof arena),
		    NC_TOKEN_ERR_NAMES);
	NC_CHECK_STR(nc_token_err_name(NC_TOKEN_ERR_FULL), "NC_TOKEN_ERR_FULL");
	NC_CHECK_STR(nc_token_kind_name((nc_token_kind_t)99), "?");
}

/* Found by privacy_token_fuzz: a name ending in a non-letter right before an
 * IPv6 address whose format-preserving token starts with a letter. Matches
 * are never adjacent, so each token keeps its item's neighbours and the
 * round trip holds. */
NC_TEST(token, adjacent_items_round_trip)
{
	static const nc_token_name_t dr[] = { { "Dr.", 3 } };
	uint8_t action[NC_TOKEN_KINDS];
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		action[k] = nc_token_kind_has_format((nc_token_kind_t)k) ? NC_TOKEN_FORMAT : NC_TOKEN_TYPED;
	static const char text[] = "Dr.::cb52:3f and Dr.::cb52:3f.";
	nc_token_session_t s;
	NC_CHECK_EQ(nc_token_session_init(&s, key_a, action, dr, 1, arena, sizeof arena), NC_TOKEN_OK);
	char out[256], back[256];
	size_t n = 0, nb = 0;
	NC_CHECK_EQ(nc_token_tokenize(&s, text, sizeof text - 1, out, sizeof out, &n, NULL), NC_TOKEN_OK);
	NC_CHECK_EQ(nc_token_detokenize(&s, out, n, back, sizeof back, &nb), NC_TOKEN_OK);
	NC_CHECK(nb == sizeof text - 1 && nc_mem_compare(back, text, nb) == 0);
	nc_token_session_fini(&s);
}

/* Feed tok[0..n) in pieces of step bytes (the first piece first_len) to
 * nc_token_detokenize_part as a stream relay does; true iff every held
 * rest stays within NC_TOKEN_MAX_TOKEN_BYTES and the joined output is want. */
static bool pieces_map_back(const nc_token_session_t *s, const char *tok, size_t n, size_t first_len, size_t step,
			    const char *want, size_t want_len)
{
	char held[NC_TOKEN_MAX_TOKEN_BYTES + 512], got[1024];
	size_t held_len = 0, got_len = 0, at = 0;
	for (bool first = true; first || at < n || held_len; first = false) {
		size_t take = first ? first_len : step;
		if (take > n - at)
			take = n - at;
		nc_mem_copy(held + held_len, tok + at, take);
		held_len += take;
		at += take;
		bool final = at == n;
		size_t out_len, consumed;
		if (nc_token_detokenize_part(s, held, held_len, final, got + got_len, sizeof got - got_len, &out_len,
					     &consumed) != NC_TOKEN_OK)
			return false;
		got_len += out_len;
		nc_mem_move(held, held + consumed, held_len - consumed);
		held_len -= consumed;
		if (held_len > NC_TOKEN_MAX_TOKEN_BYTES || (final && held_len))
			return false;
	}
	return got_len == want_len && nc_mem_compare(got, want, want_len) == 0;
}

/* A stream's pieces (AiStream through the kernel's relay): split anywhere,
 * one byte at a time, or in a few large pieces, the tokens map back exactly
 * as the whole text does, typed and format-preserving; a piece ending in a
 * token's first bytes is held, never sent half-mapped. */
NC_TEST(token, detokenize_in_pieces_equals_whole)
{
	for (int form = 0; form < 2; form++) {
		nc_token_session_t s;
		start(&s, key_a, NC_TOKEN_TYPED, form ? NC_TOKEN_FORMAT : NC_TOKEN_TYPED);
		char tok[512];
		size_t n = 0;
		NC_CHECK_EQ(nc_token_tokenize(&s, sample, sizeof sample - 1, tok, sizeof tok, &n, NULL), NC_TOKEN_OK);
		for (size_t cut = 0; cut <= n; cut++)
			NC_CHECK(pieces_map_back(&s, tok, n, cut, n, sample, sizeof sample - 1));
		for (size_t step = 1; step <= 7; step++)
			NC_CHECK(pieces_map_back(&s, tok, n, step, step, sample, sizeof sample - 1));
		/* the held rest is the token's start: "<name:h" alone is not sent */
		const char *lt = tok;
		while (*lt != '<')
			lt++;
		size_t pre = (size_t)(lt - tok) + 7, out_len, consumed;
		char out[512];
		NC_CHECK_EQ(nc_token_detokenize_part(&s, tok, pre, false, out, sizeof out, &out_len, &consumed),
			    NC_TOKEN_OK);
		NC_CHECK_EQ(consumed, (size_t)(lt - tok));
		NC_CHECK_EQ(out_len, consumed); /* nothing before it to map */
		nc_token_session_fini(&s);
	}
}

/* Detector edge cases, each with the kinds expected (NC_TOKEN_KINDS: none). */
NC_TEST(token, detector_edge_cases)
{
	static const struct {
		const char *text;
		nc_token_kind_t kind;
		const char *match;
	} cases[] = {
		{ "mail me: a.b-c_d+x@sub.example.co.uk.", NC_TOKEN_EMAIL, "a.b-c_d+x@sub.example.co.uk" },
		{ "user@localhost", NC_TOKEN_KINDS, NULL },
		{ "x@y.c, a@b, a@-b.com and a@b.c0m", NC_TOKEN_KINDS, NULL },
		{ "call 4155552671", NC_TOKEN_PHONE, "4155552671" },
		{ "order 4155552671", NC_TOKEN_KINDS, NULL },
		{ "SSN 123-45-6789", NC_TOKEN_KINDS, NULL },
		{ "ZIP 94107-1234", NC_TOKEN_KINDS, NULL },
		{ "+1 (415) 555-2671", NC_TOKEN_PHONE, "+1 (415) 555-2671" },
		{ "1 415 555 2671 or", NC_TOKEN_PHONE, "1 415 555 2671" },   /* "+" cut off */
		{ "dial 1-415-555-2671", NC_TOKEN_PHONE, "1-415-555-2671" },
		{ "1 4155 555 2671", NC_TOKEN_KINDS, NULL },
		{ "card 4111-1111-1111-1111.", NC_TOKEN_CARD, "4111-1111-1111-1111" },
		{ "card 4111-1111 1111-1111", NC_TOKEN_KINDS, NULL }, /* mixed separators */
		{ "card 4111111111111112", NC_TOKEN_KINDS, NULL },   /* Luhn */
		{ "IBAN GB82 WEST 1234 5698 7654 32", NC_TOKEN_IBAN, "GB82 WEST 1234 5698 7654 32" },
		{ "IBAN GB83 WEST 1234 5698 7654 32", NC_TOKEN_KINDS, NULL },
		{ "IP 10.0.0.255:8080", NC_TOKEN_IPV4, "10.0.0.255" },
		{ "IP 10.0.0.256", NC_TOKEN_KINDS, NULL },
		{ "v 1.2.3.4.5", NC_TOKEN_KINDS, NULL },
		{ "version 1.2.3.4", NC_TOKEN_KINDS, NULL },
		{ "at ::ffff:192.0.2.1.", NC_TOKEN_IPV6, "::ffff:192.0.2.1" },
		{ "mac 00:1a:2b:3c:4d:5e", NC_TOKEN_KINDS, NULL },
		{ "use std::vector or a::b", NC_TOKEN_KINDS, NULL },
		{ "born 29.02.1988", NC_TOKEN_DOB, "29.02.1988" },
		{ "born 29.02.1989", NC_TOKEN_KINDS, NULL }, /* not a leap year */
		{ "DOB: March 5, 1990", NC_TOKEN_DOB, "March 5, 1990" },
		{ "due March 5, 1990", NC_TOKEN_KINDS, NULL }, /* no birth keyword */
		{ "Alice Johnson's and Alice's", NC_TOKEN_NAME, "Alice Johnson" },
		{ "Bobby and bob", NC_TOKEN_KINDS, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		nc_token_match_t m[4];
		size_t len = nc_str_len(cases[i].text);
		size_t n = nc_token_detect(cases[i].text, len, names, 3, m, 4);
		if (cases[i].kind == NC_TOKEN_KINDS) {
			if (n != 0)
				nc_test_note("case %zu: unexpected %s", i, nc_token_kind_name(m[0].kind));
			NC_CHECK_EQ(n, 0);
			continue;
		}
		if (n == 0 || m[0].kind != cases[i].kind)
			nc_test_note("case %zu: \"%s\" not found as %s", i, cases[i].text, nc_token_kind_name(cases[i].kind));
		NC_CHECK(n >= 1);
		NC_CHECK_EQ(m[0].kind, cases[i].kind);
		NC_CHECK_EQ(m[0].len, nc_str_len(cases[i].match));
		NC_CHECK(nc_mem_compare(cases[i].text + m[0].start, cases[i].match, m[0].len) == 0);
	}
}

/* lib/hpke against RFC 9180 Appendix A: every section for
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 with ChaCha20Poly1305 (A.2) and
 * with the export-only AEAD, in all four modes, from
 * ../shared/vectors/hpke/rfc9180-x25519-vectors.txt (read through vectors.h,
 * so this also runs inside NexaCore in libtests). For each section: the key
 * pairs from their ikm, the sender's enc from ikmE, both sides' key schedule
 * outputs, every encryption (sealed by the sender, opened by the recipient)
 * and every export (both sides). The vector file is the only oracle. */
#include "../crypto/vectors.h"
#include "nc_test.h"
#include <nc/hpke.h>
#include <nc/mem.h>

enum { VAL_MAX = 128, MAX_ENC = 8, MAX_EXP = 4 };

typedef struct {
	uint8_t b[VAL_MAX];
	size_t len;
	bool set;
} val_t;

typedef struct {
	uint64_t seq;
	val_t pt, aad, nonce, ct;
} enc_vec_t;

typedef struct {
	val_t context, value;
	uint64_t len;
} exp_vec_t;

typedef struct {
	uint64_t mode, aead;
	val_t info, ikm_e, pk_e, sk_e, ikm_r, pk_r, sk_r, ikm_s, pk_s, sk_s, psk, psk_id, enc, shared,
		key, base_nonce, exporter;
	enc_vec_t encs[MAX_ENC];
	exp_vec_t exps[MAX_EXP];
	size_t n_encs, n_exps;
	bool in_group;
} group_t;

typedef struct {
	int n_groups, n_encs, n_exps, failures;
} totals_t;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* True when s[0..n) is non-empty lower-case hex of even length. */
static bool is_hex(const char *s, size_t n)
{
	if (n == 0 || n % 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

static bool append_hex(val_t *v, const char *s, size_t n)
{
	if (!is_hex(s, n) || v->len + n / 2 > VAL_MAX)
		return false;
	for (size_t i = 0; i < n; i += 2)
		v->b[v->len++] = (uint8_t)(hexval(s[i]) << 4 | hexval(s[i + 1]));
	return true;
}

static uint64_t decimal(const char *s, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

static bool same(const val_t *want, const uint8_t *got, size_t len)
{
	return want->set && want->len == len && nc_mem_compare(want->b, got, len) == 0;
}

static bool key_is(const char *line, size_t key_len, const char *key)
{
	return nc_str_len(key) == key_len && nc_mem_compare(line, key, key_len) == 0;
}

/* ---- checking one section ------------------------------------------------- */

static nc_hpke_setup_t setup_of(const group_t *g)
{
	nc_hpke_setup_t s = { (nc_hpke_mode_t)g->mode, (nc_hpke_aead_t)g->aead, g->info.b, g->info.len,
			      g->psk.b, g->psk.len, g->psk_id.b, g->psk_id.len, NULL, NULL, NULL, 0 };
	return s;
}

static bool check_keypair(const val_t *ikm, const val_t *sk, const val_t *pk)
{
	uint8_t s[NC_HPKE_SECRET_BYTES], p[NC_HPKE_PUBLIC_BYTES];
	return nc_hpke_derive_keypair(s, p, ikm->b, ikm->len) == NC_HPKE_OK &&
	       same(sk, s, sizeof s) && same(pk, p, sizeof p);
}

static bool check_context(const group_t *g, const nc_hpke_context_t *c)
{
	if (g->aead == NC_HPKE_AEAD_EXPORT_ONLY)
		return same(&g->exporter, c->exporter_secret, 32);
	return same(&g->key, c->key, 32) && same(&g->base_nonce, c->base_nonce, 12) &&
	       same(&g->exporter, c->exporter_secret, 32);
}

static bool check_encryptions(const group_t *g, nc_hpke_context_t *snd, nc_hpke_context_t *rcv)
{
	for (size_t i = 0; i < g->n_encs; i++) {
		const enc_vec_t *e = &g->encs[i];
		uint8_t ct[VAL_MAX], pt[VAL_MAX];
		/* the vectors skip sequence numbers; both sides jump to it */
		snd->seq = rcv->seq = e->seq;
		if (nc_hpke_seal(snd, ct, e->aad.b, e->aad.len, e->pt.b, e->pt.len) != NC_HPKE_OK ||
		    !same(&e->ct, ct, e->pt.len + NC_HPKE_TAG_BYTES))
			return false;
		if (nc_hpke_open(rcv, pt, e->aad.b, e->aad.len, e->ct.b, e->ct.len) != NC_HPKE_OK ||
		    !same(&e->pt, pt, e->ct.len - NC_HPKE_TAG_BYTES))
			return false;
		if (snd->seq != e->seq + 1 || rcv->seq != e->seq + 1)
			return false;
	}
	return true;
}

static bool check_exports(const group_t *g, const nc_hpke_context_t *snd, const nc_hpke_context_t *rcv)
{
	for (size_t i = 0; i < g->n_exps; i++) {
		const exp_vec_t *x = &g->exps[i];
		uint8_t a[VAL_MAX], b[VAL_MAX];
		if (x->len > VAL_MAX ||
		    nc_hpke_export(snd, a, x->len, x->context.b, x->context.len) != NC_HPKE_OK ||
		    nc_hpke_export(rcv, b, x->len, x->context.b, x->context.len) != NC_HPKE_OK ||
		    !same(&x->value, a, x->len) || !same(&x->value, b, x->len))
			return false;
	}
	return true;
}

static bool check_group(const group_t *g)
{
	bool auth = g->mode == NC_HPKE_MODE_AUTH || g->mode == NC_HPKE_MODE_AUTH_PSK;
	if (!check_keypair(&g->ikm_e, &g->sk_e, &g->pk_e) || !check_keypair(&g->ikm_r, &g->sk_r, &g->pk_r))
		return false;
	if (auth && !check_keypair(&g->ikm_s, &g->sk_s, &g->pk_s))
		return false;
	nc_hpke_context_t snd, rcv;
	uint8_t enc[NC_HPKE_ENC_BYTES];
	nc_hpke_setup_t s = setup_of(g);
	s.ikm_e = g->ikm_e.b;
	s.ikm_e_len = g->ikm_e.len;
	s.sender_secret = auth ? g->sk_s.b : NULL;
	if (nc_hpke_setup_sender(&snd, &s, g->pk_r.b, enc) != NC_HPKE_OK || !same(&g->enc, enc, sizeof enc))
		return false;
	s = setup_of(g);
	s.sender_public = auth ? g->pk_s.b : NULL;
	if (nc_hpke_setup_recipient(&rcv, &s, g->enc.b, g->sk_r.b) != NC_HPKE_OK)
		return false;
	return check_context(g, &snd) && check_context(g, &rcv) && check_encryptions(g, &snd, &rcv) &&
	       check_exports(g, &snd, &rcv);
}

/* ---- reading the vector file ---------------------------------------------- */

static val_t *field(group_t *g, const char *line, size_t n)
{
	static const struct {
		const char *name;
		size_t offset;
	} fields[] = {
		{ "info", offsetof(group_t, info) }, { "ikmE", offsetof(group_t, ikm_e) },
		{ "pkEm", offsetof(group_t, pk_e) }, { "skEm", offsetof(group_t, sk_e) },
		{ "ikmR", offsetof(group_t, ikm_r) }, { "pkRm", offsetof(group_t, pk_r) },
		{ "skRm", offsetof(group_t, sk_r) }, { "ikmS", offsetof(group_t, ikm_s) },
		{ "pkSm", offsetof(group_t, pk_s) }, { "skSm", offsetof(group_t, sk_s) },
		{ "psk", offsetof(group_t, psk) }, { "psk_id", offsetof(group_t, psk_id) },
		{ "enc", offsetof(group_t, enc) }, { "shared_secret", offsetof(group_t, shared) },
		{ "key", offsetof(group_t, key) }, { "base_nonce", offsetof(group_t, base_nonce) },
		{ "exporter_secret", offsetof(group_t, exporter) },
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (key_is(line, n, fields[i].name))
			return (val_t *)((uint8_t *)g + fields[i].offset);
	enc_vec_t *e = g->n_encs ? &g->encs[g->n_encs - 1] : NULL;
	exp_vec_t *x = g->n_exps ? &g->exps[g->n_exps - 1] : NULL;
	if (e && key_is(line, n, "pt"))
		return &e->pt;
	if (e && key_is(line, n, "aad"))
		return &e->aad;
	if (e && key_is(line, n, "nonce"))
		return &e->nonce;
	if (e && key_is(line, n, "ct"))
		return &e->ct;
	if (x && key_is(line, n, "exported_value"))
		return &x->value;
	return NULL;
}

/* A "key: value" line: numbers go in place, hex values start *cur (NULL for
 * keys we do not read). False on a malformed value or too many records. */
static bool key_line(group_t *g, const char *line, size_t key_len, const char *v, size_t v_len, val_t **cur)
{
	*cur = NULL;
	if (key_is(line, key_len, "mode"))
		g->mode = decimal(v, v_len);
	else if (key_is(line, key_len, "aead_id"))
		g->aead = decimal(v, v_len);
	else if (key_is(line, key_len, "sequence number")) {
		if (g->n_encs == MAX_ENC)
			return false;
		g->encs[g->n_encs++].seq = decimal(v, v_len);
	} else if (key_is(line, key_len, "exporter_context")) {
		if (g->n_exps == MAX_EXP)
			return false;
		*cur = &g->exps[g->n_exps++].context;
	} else if (key_is(line, key_len, "L") && g->n_exps)
		g->exps[g->n_exps - 1].len = decimal(v, v_len);
	else
		*cur = field(g, line, key_len);
	if (*cur) {
		(*cur)->set = true;
		if (v_len && !append_hex(*cur, v, v_len))
			return false;
	}
	return true;
}

static void finish_group(group_t *g, totals_t *t)
{
	if (!g->in_group)
		return;
	t->n_groups++;
	t->n_encs += (int)g->n_encs;
	t->n_exps += (int)g->n_exps;
	if (!check_group(g)) {
		t->failures++;
		nc_test_note("section %d (mode %llu, aead %llu) does not match", t->n_groups,
			     (unsigned long long)g->mode, (unsigned long long)g->aead);
	}
}

static bool walk(const char *text, size_t len, group_t *g, totals_t *t)
{
	val_t *cur = NULL;
	for (size_t pos = 0; pos < len;) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		const char *line = text + pos;
		size_t n = end - pos;
		pos = end + 1;
		if (n >= 4 && nc_mem_compare(line, "### ", 4) == 0) {
			finish_group(g, t);
			nc_mem_set(g, 0, sizeof *g);
			g->in_group = true;
			cur = NULL;
			continue;
		}
		size_t colon = 0;
		while (colon < n && line[colon] != ':')
			colon++;
		if (g->in_group && colon < n) {
			size_t v = colon + 1;
			while (v < n && line[v] == ' ')
				v++;
			if (!key_line(g, line, colon, line + v, n - v, &cur))
				return false;
		} else if (cur && is_hex(line, n)) {
			if (!append_hex(cur, line, n))
				return false;
		} else
			cur = NULL;
	}
	finish_group(g, t);
	return true;
}

NC_TEST(hpke_vectors, rfc9180_x25519_sha256)
{
	size_t len = 0;
	char *text = vec_read_file("hpke", "rfc9180-x25519-vectors.txt", &len);
	NC_CHECK(text != NULL);
	group_t *g = vec_malloc(sizeof *g);
	totals_t t = { 0, 0, 0, 0 };
	bool parsed = g && walk(text, len, g, &t);
	vec_free(g, sizeof *g);
	vec_free(text, len + 1);
	NC_CHECK(parsed);
	/* 4 modes x (ChaCha20Poly1305, export-only); 6 encryptions per ChaCha20
	 * section, 3 exports per section */
	NC_CHECK_EQ(t.n_groups, 8);
	NC_CHECK_EQ(t.n_encs, 24);
	NC_CHECK_EQ(t.n_exps, 24);
	NC_CHECK_EQ(t.failures, 0);
}

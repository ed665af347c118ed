/* nc-privacy tokenize | detokenize: text on stdin to stdout through a
 * session (nc/token.h). The session is the key (--session-key, 32 bytes hex)
 * plus its table, which --table FILE keeps between runs, sealed with
 * XChaCha20-Poly1305 under a key derived from the session key (the file
 * holds the original values; only the key's owner can open it):
 *   FILE = nonce (24) || AEAD(HKDF-SHA256(salt "nc-privacy table", key,
 *          info "table"), nonce, ad "nc-privacy table v1", table)
 * Policy: every kind typed, --format KINDS (comma-separated) format-
 * preserving, --keep KINDS left as they are. --names FILE: one name a line. */
#include "opts.h"
#include <nc/crypto.h>
#include <nc/token.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (1u << 20)
#define ARENA_BYTES (1u << 20)
#define NONCE 24u
static const char table_ad[] = "nc-privacy table v1";

static uint8_t *read_all(FILE *f, size_t cap, size_t *len)
{
	uint8_t *buf = malloc(cap + 1);
	*len = buf ? fread(buf, 1, cap + 1, f) : 0;
	if (buf && *len > cap) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void table_key(const uint8_t session_key[32], uint8_t out[32])
{
	static const char salt[] = "nc-privacy table";
	nc_crypto_hkdf_sha256(out, 32, salt, sizeof salt - 1, session_key, 32, "table", 5);
}

/* Load the sealed table of path into s (a missing file is an empty table). */
static bool load_table(nc_token_session_t *s, const char *path, const uint8_t session_key[32])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return true;
	size_t len = 0;
	uint8_t *sealed = read_all(f, ARENA_BYTES + NONCE + NC_CRYPTO_AEAD_TAG_BYTES, &len);
	fclose(f);
	uint8_t k[32];
	table_key(session_key, k);
	bool ok = sealed && len >= NONCE + NC_CRYPTO_AEAD_TAG_BYTES &&
		  nc_crypto_aead_decrypt(NC_CRYPTO_AEAD_XCHACHA20_POLY1305, sealed + NONCE, sealed + NONCE, len - NONCE,
					 table_ad, sizeof table_ad - 1, sealed, NONCE, k) == NC_CRYPTO_OK &&
		  nc_token_session_load(s, sealed + NONCE, len - NONCE - NC_CRYPTO_AEAD_TAG_BYTES) == NC_TOKEN_OK;
	nc_crypto_wipe(k, sizeof k);
	free(sealed);
	if (!ok)
		fprintf(stderr, "nc-privacy: %s: not a table of this session key\n", path);
	return ok;
}

static bool save_table(const nc_token_session_t *s, const char *path, const uint8_t session_key[32])
{
	size_t len = NONCE + s->arena_used + NC_CRYPTO_AEAD_TAG_BYTES;
	uint8_t *sealed = malloc(len), k[32];
	table_key(session_key, k);
	bool ok = sealed && nc_crypto_random(sealed, NONCE) == NC_CRYPTO_OK &&
		  nc_crypto_aead_encrypt(NC_CRYPTO_AEAD_XCHACHA20_POLY1305, sealed + NONCE, s->arena, s->arena_used,
					 table_ad, sizeof table_ad - 1, sealed, NONCE, k) == NC_CRYPTO_OK;
	nc_crypto_wipe(k, sizeof k);
	FILE *f = ok ? fopen(path, "wb") : NULL;
	ok = f && fwrite(sealed, 1, len, f) == len;
	if (f)
		ok = fclose(f) == 0 && ok;
	free(sealed);
	if (!ok)
		fprintf(stderr, "nc-privacy: cannot write %s\n", path);
	return ok;
}

/* Set action[kind] = a for each kind named in list ("phone,card"). */
static bool set_kinds(const char *list, uint8_t *action, nc_token_action_t a)
{
	while (list && *list) {
		size_t n = strcspn(list, ",");
		bool found = false;
		for (unsigned k = 0; k < NC_TOKEN_KINDS && !found; k++) {
			const char *name = nc_token_kind_name((nc_token_kind_t)k);
			if (strlen(name) == n && !strncmp(list, name, n)) {
				action[k] = (uint8_t)a;
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "nc-privacy: unknown kind '%.*s'\n", (int)n, list);
			return false;
		}
		list += n + (list[n] == ',');
	}
	return true;
}

/* One name a line from path into names (borrowing buf). */
static size_t load_names(const char *path, char **buf, nc_token_name_t *names, size_t max)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	size_t len = 0, n = 0;
	*buf = f ? (char *)read_all(f, MAX_INPUT, &len) : NULL;
	if (f)
		fclose(f);
	for (size_t i = 0; *buf && i < len && n < max;) {
		size_t e = i;
		while (e < len && (*buf)[e] != '\n')
			e++;
		if (e > i)
			names[n++] = (nc_token_name_t){ *buf + i, e - i };
		i = e + 1;
	}
	return n;
}

int cmd_tokenize(const opts_t *o, bool detokenize)
{
	uint8_t key[32], action[NC_TOKEN_KINDS];
	size_t key_len = 0;
	if (o->n_words != 1 || !o->session_key || !opts_unhex(o->session_key, key, sizeof key, &key_len) ||
	    key_len != 32 || (detokenize && !o->table)) {
		fprintf(stderr, "nc-privacy: %s --session-key HEX(32 bytes)%s < text\n",
			detokenize ? "detokenize" : "tokenize", detokenize ? " --table FILE" : " [--table FILE]");
		return EXIT_USAGE;
	}
	memset(action, NC_TOKEN_TYPED, sizeof action);
	if (!set_kinds(o->format, action, NC_TOKEN_FORMAT) || !set_kinds(o->keep, action, NC_TOKEN_KEEP))
		return EXIT_USAGE;
	static nc_token_name_t names[NC_TOKEN_MAX_NAMES];
	char *names_buf = NULL;
	size_t n_names = load_names(o->names, &names_buf, names, NC_TOKEN_MAX_NAMES);
	uint8_t *arena = malloc(ARENA_BYTES);
	nc_token_session_t s;
	nc_token_err_t err = nc_token_session_init(&s, key, action, names, n_names, arena, ARENA_BYTES);
	int rc = EXIT_FAILED;
	size_t len = 0, out_len = 0;
	uint8_t *in = read_all(stdin, MAX_INPUT, &len);
	char *out = malloc(8 * len + 64);
	if (err == NC_TOKEN_OK && in && out && (!o->table || load_table(&s, o->table, key))) {
		err = detokenize ? nc_token_detokenize(&s, (const char *)in, len, out, 8 * len + 64, &out_len)
				 : nc_token_tokenize(&s, (const char *)in, len, out, 8 * len + 64, &out_len, NULL);
		if (err == NC_TOKEN_OK && (detokenize || !o->table || save_table(&s, o->table, key))) {
			fwrite(out, 1, out_len, stdout);
			rc = EXIT_OK;
		}
	}
	if (err != NC_TOKEN_OK)
		fprintf(stderr, "nc-privacy: %s\n", nc_token_err_name(err));
	if (!in)
		fprintf(stderr, "nc-privacy: input over %u bytes\n", MAX_INPUT);
	nc_token_session_fini(&s);
	nc_crypto_wipe(key, sizeof key);
	free(in);
	free(out);
	free(arena);
	free(names_buf);
	return rc;
}

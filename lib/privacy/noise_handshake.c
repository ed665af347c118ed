/* Noise SymmetricState and HandshakeState (spec 5.2, 5.3): Initialize,
 * WriteMessage, ReadMessage, Split, token by token, with the PSK rule of
 * spec 9.2 (in a PSK handshake every "e" is also mixed into the key). The
 * pattern comes compiled from noise_pattern.c; every check that needs no
 * secret (keys present, turn, lengths) happens before state changes where it
 * can, and any failure after that wipes the handshake (spec 5.3: a failed
 * handshake is abandoned). */
#include <nc/crypto.h>
#include <nc/mem.h>
#include "noise_internal.h"

static size_t hlen(const nc_noise_handshake_t *hs)
{
	return noise_hash_len((noise_hash_t)hs->hash);
}

static void fail(nc_noise_handshake_t *hs)
{
	nc_mem_wipe(hs, sizeof *hs);
	hs->failed = true;
}

/* ---- SymmetricState (spec 5.2) ---------------------------------------------- */

static void mix_hash(nc_noise_handshake_t *hs, const uint8_t *data, size_t len)
{
	noise_hash2((noise_hash_t)hs->hash, hs->h, hs->h, hlen(hs), data, len);
}

static void set_key(nc_noise_handshake_t *hs, const uint8_t *temp_k)
{
	nc_mem_copy(hs->cs.k, temp_k, 32); /* truncated to 32 bytes when HASHLEN is 64 */
	hs->cs.n = 0;
	hs->cs.has_key = true;
}

static void mix_key(nc_noise_handshake_t *hs, const uint8_t *ikm, size_t len)
{
	uint8_t temp_k[NC_NOISE_MAX_HASH_BYTES];
	noise_hkdf((noise_hash_t)hs->hash, hs->ck, ikm, len, hs->ck, temp_k, NULL);
	set_key(hs, temp_k);
	nc_mem_wipe(temp_k, sizeof temp_k);
}

static void mix_key_and_hash(nc_noise_handshake_t *hs, const uint8_t *ikm, size_t len)
{
	uint8_t temp_h[NC_NOISE_MAX_HASH_BYTES], temp_k[NC_NOISE_MAX_HASH_BYTES];
	noise_hkdf((noise_hash_t)hs->hash, hs->ck, ikm, len, hs->ck, temp_h, temp_k);
	mix_hash(hs, temp_h, hlen(hs));
	set_key(hs, temp_k);
	nc_mem_wipe(temp_h, sizeof temp_h);
	nc_mem_wipe(temp_k, sizeof temp_k);
}

static nc_noise_err_t encrypt_and_hash(nc_noise_handshake_t *hs, const uint8_t *pt, size_t len, uint8_t *out,
				       size_t cap, size_t *out_len)
{
	nc_noise_err_t err = nc_noise_encrypt(&hs->cs, hs->h, hlen(hs), pt, len, out, cap, out_len);
	if (err == NC_NOISE_OK)
		mix_hash(hs, out, *out_len);
	return err;
}

static nc_noise_err_t decrypt_and_hash(nc_noise_handshake_t *hs, const uint8_t *ct, size_t len, uint8_t *out,
				       size_t cap, size_t *out_len)
{
	nc_noise_err_t err = nc_noise_decrypt(&hs->cs, hs->h, hlen(hs), ct, len, out, cap, out_len);
	if (err == NC_NOISE_OK)
		mix_hash(hs, ct, len);
	return err;
}

/* ---- Initialize (spec 5.3) ---------------------------------------------------- */

/* Does our side need its static key s for protocol p? */
static bool needs_s(const noise_protocol_t *p, bool initiator)
{
	if (initiator ? p->pre_initiator : p->pre_responder)
		return true;
	for (unsigned m = 0; m < p->n_messages; m++) {
		bool ours = (m % 2 == 0) == initiator;
		for (const uint8_t *t = p->tokens[m]; *t; t++) {
			if ((*t == TOK_S && ours) || *t == TOK_SS || (*t == TOK_ES && !initiator) ||
			    (*t == TOK_SE && initiator))
				return true;
		}
	}
	return false;
}

nc_noise_err_t nc_noise_handshake_init(nc_noise_handshake_t *hs, const nc_noise_config_t *cfg)
{
	noise_protocol_t p;
	nc_mem_set(hs, 0, sizeof *hs);
	hs->failed = true; /* until init succeeds */
	if (!cfg->protocol_name || noise_parse_name(cfg->protocol_name, &p) != NC_NOISE_OK)
		return NC_NOISE_ERR_NAME;
	bool peer_pre = cfg->initiator ? p.pre_responder : p.pre_initiator;
	if ((needs_s(&p, cfg->initiator) && !cfg->s) || (peer_pre && !cfg->rs) || cfg->n_psks != p.n_psks)
		return NC_NOISE_ERR_MISSING_KEY;
	for (size_t i = 0; i < cfg->n_psks; i++) {
		if (!cfg->psks[i])
			return NC_NOISE_ERR_MISSING_KEY;
		nc_mem_copy(hs->psks[i], cfg->psks[i], NC_NOISE_PSK_BYTES);
	}
	nc_mem_copy(hs->tokens, p.tokens, sizeof hs->tokens);
	hs->n_messages = p.n_messages;
	hs->hash = (uint8_t)p.hash;
	hs->cs.cipher = (uint8_t)p.cipher;
	hs->initiator = cfg->initiator;
	hs->one_way = p.one_way;
	hs->psk_mode = p.n_psks > 0;
	if (cfg->s) {
		nc_mem_copy(hs->s, cfg->s, 32);
		nc_crypto_x25519_public(hs->s_pub, hs->s);
		hs->has_s = true;
	}
	if (peer_pre) {
		nc_mem_copy(hs->rs, cfg->rs, 32);
		hs->has_rs = true;
	}
	if (cfg->e) {
		nc_mem_copy(hs->e, cfg->e, 32);
		hs->fixed_e = true;
	}
	/* InitializeSymmetric: h = the name padded with zeros, or HASH(name). */
	size_t name_len = nc_str_len(cfg->protocol_name);
	if (name_len <= hlen(hs))
		nc_mem_copy(hs->h, cfg->protocol_name, name_len);
	else
		noise_hash2(p.hash, hs->h, (const uint8_t *)cfg->protocol_name, name_len, NULL, 0);
	nc_mem_copy(hs->ck, hs->h, hlen(hs));
	mix_hash(hs, cfg->prologue, cfg->prologue_len);
	/* Pre-message keys, the initiator's first (spec 7.3: both are "s"). */
	if (p.pre_initiator)
		mix_hash(hs, cfg->initiator ? hs->s_pub : hs->rs, 32);
	if (p.pre_responder)
		mix_hash(hs, cfg->initiator ? hs->rs : hs->s_pub, 32);
	hs->failed = false;
	return NC_NOISE_OK;
}

bool nc_noise_handshake_done(const nc_noise_handshake_t *hs)
{
	return !hs->failed && hs->n_messages > 0 && hs->next_message == hs->n_messages;
}

bool nc_noise_handshake_my_turn(const nc_noise_handshake_t *hs)
{
	return !hs->failed && hs->next_message < hs->n_messages && (hs->next_message % 2 == 0) == hs->initiator;
}

/* ---- tokens --------------------------------------------------------------------- */

/* MixKey(DH(ours, theirs)) for ee, es, se, ss. */
static nc_noise_err_t mix_dh(nc_noise_handshake_t *hs, uint8_t tok)
{
	bool local_s = tok == TOK_SS || (tok == TOK_ES && !hs->initiator) || (tok == TOK_SE && hs->initiator);
	bool remote_s = tok == TOK_SS || (tok == TOK_ES && hs->initiator) || (tok == TOK_SE && !hs->initiator);
	if (!(local_s ? hs->has_s : hs->has_e) || !(remote_s ? hs->has_rs : hs->has_re))
		return NC_NOISE_ERR_MISSING_KEY;
	uint8_t shared[32];
	nc_crypto_err_t err = nc_crypto_x25519(shared, local_s ? hs->s : hs->e, remote_s ? hs->rs : hs->re);
	if (err == NC_CRYPTO_OK)
		mix_key(hs, shared, sizeof shared);
	nc_mem_wipe(shared, sizeof shared);
	return err == NC_CRYPTO_OK ? NC_NOISE_OK : NC_NOISE_ERR_DH;
}

/* The tokens that move no bytes, the same whether we write or read: psk
 * (MixKeyAndHash with the next psk, then wiped) and the DH tokens. */
static nc_noise_err_t mix_shared(nc_noise_handshake_t *hs, uint8_t tok)
{
	if (tok != TOK_PSK)
		return mix_dh(hs, tok);
	mix_key_and_hash(hs, hs->psks[hs->next_psk], NC_NOISE_PSK_BYTES);
	nc_mem_wipe(hs->psks[hs->next_psk++], NC_NOISE_PSK_BYTES);
	return NC_NOISE_OK;
}

/* After an "e" moved: MixHash, and in a PSK handshake MixKey too (spec 9.2). */
static void mixed_e(nc_noise_handshake_t *hs, const uint8_t *pub)
{
	mix_hash(hs, pub, 32);
	if (hs->psk_mode)
		mix_key(hs, pub, 32);
}

static nc_noise_err_t write_token(nc_noise_handshake_t *hs, uint8_t tok, uint8_t *out, size_t cap, size_t *pos)
{
	size_t n = 0;
	nc_noise_err_t err = NC_NOISE_OK;
	switch (tok) {
	case TOK_E:
		if (cap - *pos < 32)
			return NC_NOISE_ERR_TOO_LONG;
		if (!hs->fixed_e && nc_crypto_random(hs->e, 32) != NC_CRYPTO_OK)
			return NC_NOISE_ERR_RANDOM;
		nc_crypto_x25519_public(hs->e_pub, hs->e);
		hs->has_e = true;
		hs->fixed_e = false; /* a test key is used once */
		nc_mem_copy(out + *pos, hs->e_pub, 32);
		*pos += 32;
		mixed_e(hs, hs->e_pub);
		return NC_NOISE_OK;
	case TOK_S:
		err = encrypt_and_hash(hs, hs->s_pub, 32, out + *pos, cap - *pos, &n);
		*pos += n;
		return err;
	default:
		return mix_shared(hs, tok);
	}
}

static nc_noise_err_t read_token(nc_noise_handshake_t *hs, uint8_t tok, const uint8_t *msg, size_t len, size_t *pos)
{
	size_t n = 0, need = 32;
	switch (tok) {
	case TOK_E:
		if (len - *pos < need)
			return NC_NOISE_ERR_SHORT;
		nc_mem_copy(hs->re, msg + *pos, 32);
		hs->has_re = true;
		*pos += 32;
		mixed_e(hs, hs->re);
		return NC_NOISE_OK;
	case TOK_S: {
		need += hs->cs.has_key ? NC_NOISE_TAG_BYTES : 0;
		if (len - *pos < need)
			return NC_NOISE_ERR_SHORT;
		nc_noise_err_t err = decrypt_and_hash(hs, msg + *pos, need, hs->rs, 32, &n);
		hs->has_rs = err == NC_NOISE_OK;
		*pos += need;
		return err;
	}
	default:
		return mix_shared(hs, tok);
	}
}

/* ---- WriteMessage, ReadMessage (spec 5.3) ------------------------------------ */

nc_noise_err_t nc_noise_write_message(nc_noise_handshake_t *hs, const uint8_t *payload, size_t payload_len,
				      uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
	if (!nc_noise_handshake_my_turn(hs))
		return NC_NOISE_ERR_STATE;
	if (cap > NC_NOISE_MAX_MESSAGE)
		cap = NC_NOISE_MAX_MESSAGE;
	size_t pos = 0, n = 0;
	nc_noise_err_t err = NC_NOISE_OK;
	for (const uint8_t *t = hs->tokens[hs->next_message]; *t && err == NC_NOISE_OK; t++)
		err = write_token(hs, *t, out, cap, &pos);
	if (err == NC_NOISE_OK)
		err = encrypt_and_hash(hs, payload, payload_len, out + pos, cap - pos, &n);
	if (err != NC_NOISE_OK) {
		fail(hs);
		return err;
	}
	hs->next_message++;
	*out_len = pos + n;
	return NC_NOISE_OK;
}

nc_noise_err_t nc_noise_read_message(nc_noise_handshake_t *hs, const uint8_t *msg, size_t len,
				     uint8_t *payload, size_t cap, size_t *payload_len)
{
	*payload_len = 0;
	if (hs->failed || hs->next_message >= hs->n_messages || nc_noise_handshake_my_turn(hs))
		return NC_NOISE_ERR_STATE;
	if (len > NC_NOISE_MAX_MESSAGE)
		return NC_NOISE_ERR_TOO_LONG;
	size_t pos = 0;
	nc_noise_err_t err = NC_NOISE_OK;
	for (const uint8_t *t = hs->tokens[hs->next_message]; *t && err == NC_NOISE_OK; t++)
		err = read_token(hs, *t, msg, len, &pos);
	if (err == NC_NOISE_OK)
		err = decrypt_and_hash(hs, msg + pos, len - pos, payload, cap, payload_len);
	if (err != NC_NOISE_OK) {
		fail(hs);
		return err;
	}
	hs->next_message++;
	return NC_NOISE_OK;
}

/* ---- Split (spec 5.2) ------------------------------------------------------------ */

nc_noise_err_t nc_noise_split(nc_noise_handshake_t *hs, nc_noise_cipher_t *send, nc_noise_cipher_t *recv,
			      uint8_t hash[NC_NOISE_MAX_HASH_BYTES], size_t *hash_len)
{
	if (!nc_noise_handshake_done(hs))
		return NC_NOISE_ERR_STATE;
	uint8_t k1[NC_NOISE_MAX_HASH_BYTES], k2[NC_NOISE_MAX_HASH_BYTES];
	noise_hkdf((noise_hash_t)hs->hash, hs->ck, NULL, 0, k1, k2, NULL);
	nc_noise_cipher_t c1 = { .cipher = hs->cs.cipher, .has_key = true }, c2 = c1;
	nc_mem_copy(c1.k, k1, 32);
	nc_mem_copy(c2.k, k2, 32);
	if (hs->one_way)
		nc_mem_set(&c2, 0, sizeof c2); /* spec 5.2: one-way patterns use c1 only */
	*send = hs->initiator ? c1 : c2;
	*recv = hs->initiator ? c2 : c1;
	*hash_len = hlen(hs);
	nc_mem_copy(hash, hs->h, *hash_len);
	nc_mem_wipe(k1, sizeof k1);
	nc_mem_wipe(k2, sizeof k2);
	nc_mem_wipe(&c1, sizeof c1);
	nc_mem_wipe(&c2, sizeof c2);
	nc_noise_handshake_fini(hs);
	return NC_NOISE_OK;
}

bool nc_noise_remote_static(const nc_noise_handshake_t *hs, uint8_t rs[NC_NOISE_KEY_BYTES])
{
	if (!hs->has_rs)
		return false;
	nc_mem_copy(rs, hs->rs, NC_NOISE_KEY_BYTES);
	return true;
}

void nc_noise_handshake_fini(nc_noise_handshake_t *hs)
{
	nc_mem_wipe(hs, sizeof *hs);
	hs->failed = true;
}

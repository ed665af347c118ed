/* lib/privacy Noise against every Cacophony vector
 * (../shared/vectors/noise/cacophony.json, 944 vectors): each one with DH
 * 25519 (472: 59 patterns x ChaChaPoly/AESGCM x SHA256/SHA512/BLAKE2s/BLAKE2b)
 * must run the whole exchange with the vector's static, ephemeral and
 * pre-shared keys and prologue: every handshake and transport ciphertext
 * byte-equal to the vector's, every payload decrypted back, and both sides'
 * handshake hash equal to the vector's; each 448 vector must be refused with
 * NC_NOISE_ERR_NAME (Curve448 is not supported). Host only: the file is 1.7 MB. */
#include "nc_test.h"
#include "vectors.h"
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/noise.h>

#define MSG_MAX 1024

/* Decode a hex string value (not a member) into out; false if not hex or too long. */
static bool hex_value(const json_t *v, uint8_t *out, size_t cap, size_t *len)
{
	const char *s = json_str(v);
	size_t n = json_str_len(v);
	if (!s || n % 2 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t b = 0;
		for (size_t k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return false;
			b = (uint8_t)(b << 4 | d);
		}
		out[i] = b;
	}
	*len = n / 2;
	return true;
}

/* One side's keys as the vector gives them (absent ones: has_* false). */
typedef struct {
	uint8_t s[32], e[32], rs[32], prologue[256], psk[4][32];
	bool has_s, has_e, has_rs;
	size_t prologue_len, n_psks;
} side_t;

static bool load_side(const json_t *t, const char *pre, side_t *sd)
{
	char key[64];
	size_t len = 0;
	nc_mem_set(sd, 0, sizeof *sd);
	const char *names[] = { "static", "ephemeral", "remote_static" };
	uint8_t *dst[] = { sd->s, sd->e, sd->rs };
	bool *has[] = { &sd->has_s, &sd->has_e, &sd->has_rs };
	for (int i = 0; i < 3; i++) {
		nc_fmt_format(key, sizeof key, "%s_%s", pre, names[i]);
		const json_t *v = json_get(t, key);
		if (v) {
			if (!hex_value(v, dst[i], 32, &len) || len != 32)
				return false;
			*has[i] = true;
		}
	}
	nc_fmt_format(key, sizeof key, "%s_prologue", pre);
	if (json_get(t, key) && !hex_value(json_get(t, key), sd->prologue, sizeof sd->prologue, &sd->prologue_len))
		return false;
	nc_fmt_format(key, sizeof key, "%s_psks", pre);
	const json_t *psks = json_get(t, key);
	sd->n_psks = json_len(psks);
	for (size_t i = 0; i < sd->n_psks; i++) {
		if (i == 4 || !hex_value(json_at(psks, i), sd->psk[i], 32, &len) || len != 32)
			return false;
	}
	return true;
}

static nc_noise_config_t config_of(const char *name, bool initiator, const side_t *sd)
{
	nc_noise_config_t c = { .protocol_name = name, .initiator = initiator, .prologue = sd->prologue,
				.prologue_len = sd->prologue_len, .s = sd->has_s ? sd->s : NULL,
				.rs = sd->has_rs ? sd->rs : NULL, .e = sd->has_e ? sd->e : NULL,
				.n_psks = sd->n_psks };
	for (size_t i = 0; i < sd->n_psks; i++)
		c.psks[i] = sd->psk[i];
	return c;
}

/* Run one vector; returns a static reason on failure, NULL on success. */
static const char *run_vector(const json_t *t, const char *name)
{
	static side_t si, sr;
	if (!load_side(t, "init", &si) || !load_side(t, "resp", &sr))
		return "vector keys unreadable";
	nc_noise_config_t ci = config_of(name, true, &si), cr = config_of(name, false, &sr);
	nc_noise_handshake_t hi, hr;
	if (nc_noise_handshake_init(&hi, &ci) != NC_NOISE_OK || nc_noise_handshake_init(&hr, &cr) != NC_NOISE_OK)
		return "init refused";
	nc_noise_cipher_t i_send, i_recv, r_send, r_recv;
	uint8_t hash_i[64], hash_r[64];
	size_t hash_len_i = 0, hash_len_r = 0;
	bool transport = false;
	const json_t *msgs = json_get(t, "messages");
	for (size_t m = 0; m < json_len(msgs); m++) {
		static uint8_t payload[MSG_MAX], ct[MSG_MAX], out[MSG_MAX], back[MSG_MAX];
		size_t pl = 0, cl = 0, ol = 0, bl = 0;
		if (!hex_value(json_get(json_at(msgs, m), "payload"), payload, MSG_MAX, &pl) ||
		    !hex_value(json_get(json_at(msgs, m), "ciphertext"), ct, MSG_MAX, &cl))
			return "message unreadable";
		if (!transport) {
			bool from_i = nc_noise_handshake_my_turn(&hi);
			nc_noise_handshake_t *w = from_i ? &hi : &hr, *r = from_i ? &hr : &hi;
			if (nc_noise_write_message(w, payload, pl, out, sizeof out, &ol) != NC_NOISE_OK)
				return "write_message failed";
			if (nc_noise_read_message(r, out, ol, back, sizeof back, &bl) != NC_NOISE_OK)
				return "read_message failed";
			if (nc_noise_handshake_done(&hi) != nc_noise_handshake_done(&hr))
				return "sides disagree on the end of the handshake";
			if (nc_noise_handshake_done(&hi)) {
				if (nc_noise_split(&hi, &i_send, &i_recv, hash_i, &hash_len_i) != NC_NOISE_OK ||
				    nc_noise_split(&hr, &r_send, &r_recv, hash_r, &hash_len_r) != NC_NOISE_OK)
					return "split failed";
				transport = true;
			}
		} else {
			/* One-way patterns: the initiator sends every transport message;
			 * interactive ones keep alternating, the initiator on even indexes. */
			bool one_way = r_send.cipher == 0;
			bool from_i = one_way || m % 2 == 0;
			if (nc_noise_encrypt(from_i ? &i_send : &r_send, NULL, 0, payload, pl, out, sizeof out, &ol) !=
			    NC_NOISE_OK)
				return "transport encrypt failed";
			if (nc_noise_decrypt(from_i ? &r_recv : &i_recv, NULL, 0, out, ol, back, sizeof back, &bl) !=
			    NC_NOISE_OK)
				return "transport decrypt failed";
		}
		if (ol != cl || nc_mem_compare(out, ct, cl) != 0)
			return "ciphertext differs";
		if (bl != pl || (pl && nc_mem_compare(back, payload, pl) != 0))
			return "payload differs";
	}
	uint8_t want[64];
	size_t want_len = 0;
	if (!transport)
		return "handshake never finished";
	if (!hex_value(json_get(t, "handshake_hash"), want, sizeof want, &want_len) || want_len != hash_len_i ||
	    hash_len_r != hash_len_i || nc_mem_compare(hash_i, want, want_len) != 0 ||
	    nc_mem_compare(hash_r, want, want_len) != 0)
		return "handshake hash differs";
	return NULL;
}

NC_TEST(noise, cacophony_all_25519_vectors)
{
	json_t *doc = vec_load("noise", "cacophony.json");
	NC_CHECK(doc != NULL);
	const json_t *vs = json_get(doc, "vectors");
	size_t run = 0, ok = 0, refused_448 = 0, bad = 0;
	for (size_t i = 0; i < json_len(vs); i++) {
		const json_t *t = json_at(vs, i);
		const char *name = json_str(json_get(t, "protocol_name"));
		char buf[NC_NOISE_MAX_NAME_BYTES + 1] = { 0 };
		if (!name || nc_str_len(name) > NC_NOISE_MAX_NAME_BYTES) {
			bad++;
			continue;
		}
		nc_mem_copy(buf, name, nc_str_len(name));
		run++;
		const char *why = NULL;
		bool curve448 = false;
		for (size_t k = 0; buf[k]; k++) {
			if (nc_str_starts_with(buf + k, "_448_"))
				curve448 = true;
		}
		if (curve448) {
			nc_noise_config_t c = { .protocol_name = buf, .initiator = true };
			nc_noise_handshake_t h;
			if (nc_noise_handshake_init(&h, &c) == NC_NOISE_ERR_NAME)
				refused_448++;
			else
				why = "Curve448 name accepted";
		} else {
			why = run_vector(t, buf);
			ok += why == NULL;
		}
		if (why && ++bad <= 8)
			nc_test_note("%s: %s", buf, why);
	}
	size_t total = json_len(vs);
	json_free(doc);
	nc_test_note("cacophony.json: %zu vectors: %zu 25519 vectors pass, %zu Curve448 vectors refused, %zu wrong",
		     run, ok, refused_448, bad);
	NC_CHECK_EQ(run, total);
	NC_CHECK_EQ(bad, 0);
	NC_CHECK_EQ(ok, 472);
	NC_CHECK_EQ(refused_448, 472);
}

/* libFuzzer target for the tokenizer: any text (and, from the first bytes, a
 * policy and a name list) must detect, tokenize and detokenize without a
 * crash, every match must lie inside the text in order, and detokenizing
 * the tokenized text must give the input back (tokens replace whole items
 * between the same neighbours, so the reverse pass finds each of them). */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/token.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TEXT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t arena[1 << 16];
	static char out[16 * MAX_TEXT], back[MAX_TEXT];
	static bool ready;
	if (!ready) {
		nc_crypto_init();
		ready = true;
	}
	if (size < 2 || size > MAX_TEXT)
		return 0;
	/* Byte 0: the action of each kind (FORMAT where defined); byte 1: how
	 * many leading words of the text also form the name list. */
	uint8_t action[NC_TOKEN_KINDS];
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		unsigned a = (data[0] >> k) & 1 ? NC_TOKEN_TYPED : NC_TOKEN_KEEP;
		if (a == NC_TOKEN_TYPED && (data[0] & 0x80) && nc_token_kind_has_format((nc_token_kind_t)k))
			a = NC_TOKEN_FORMAT;
		action[k] = (uint8_t)a;
	}
	const char *text = (const char *)data + 2;
	size_t len = size - 2;
	nc_token_name_t names[8];
	size_t n_names = 0;
	for (size_t i = 0; i < len && n_names < (data[1] & 7u);) {
		size_t e = i;
		while (e < len && text[e] != ' ')
			e++;
		if (e > i && e - i <= NC_TOKEN_MAX_NAME_BYTES)
			names[n_names++] = (nc_token_name_t){ text + i, e - i };
		i = e + 1;
	}
	nc_token_match_t m[64];
	size_t found = nc_token_detect(text, len, names, n_names, m, 64);
	size_t end = 0;
	for (size_t i = 0; i < found && i < 64; i++) {
		if (m[i].start < end || m[i].len == 0 || m[i].start + m[i].len > len || m[i].kind >= NC_TOKEN_KINDS)
			abort();
		end = m[i].start + m[i].len;
	}
	static const uint8_t key[32] = { 0x42 };
	nc_token_session_t s;
	if (nc_token_session_init(&s, key, action, names, n_names, arena, sizeof arena) != NC_TOKEN_OK)
		abort();
	size_t n = 0, nb = 0;
	if (nc_token_tokenize(&s, text, len, out, sizeof out, &n, NULL) == NC_TOKEN_OK) {
		if (nc_token_detokenize(&s, out, n, back, sizeof back, &nb) != NC_TOKEN_OK || nb != len ||
		    nc_mem_compare(back, text, len) != 0)
			abort();
	}
	nc_token_session_fini(&s);
	return 0;
}

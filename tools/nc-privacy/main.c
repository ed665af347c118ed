/* nc-privacy: the privacy layer (lib/privacy, docs/privacy.md) on the host:
 * format-preserving encryption, session tokenization and its reverse, and a
 * Noise test peer. Exit status: 0 success, 1 the operation failed, 2 usage. */
#include "opts.h"
#include <nc/crypto.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: nc-privacy COMMAND ...\n"
	"  fpe ff1|ff3-1 encrypt|decrypt --key HEX --tweak HEX --radix N [--alphabet CHARS] TEXT\n"
	"      TEXT in 0-9a-z (radix <= 36), 0-9a-zA-Z (<= 62), the alphabet, or comma-separated digits\n"
	"  tokenize --session-key HEX [--table FILE] [--names FILE] [--format KINDS] [--keep KINDS] < text\n"
	"  detokenize --session-key HEX --table FILE [--names FILE] < text\n"
	"      KINDS: comma-separated of email phone card iban ipv4 ipv6 dob name\n"
	"  noise-peer (--listen PORT | --connect PORT) --pattern P --role initiator|responder\n"
	"             --static HEX [--remote-static HEX] [--prologue TEXT] [--send TEXT]... [--expect TEXT]...\n"
	"  noise-key --static HEX\n";

int main(int argc, char **argv)
{
	opts_t o;
	if (nc_crypto_init() != NC_CRYPTO_OK || !opts_parse(argc, argv, &o) || o.n_words == 0) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *c = o.words[0];
	if (!strcmp(c, "fpe"))
		return cmd_fpe(&o);
	if (!strcmp(c, "tokenize") || !strcmp(c, "detokenize"))
		return cmd_tokenize(&o, !strcmp(c, "detokenize"));
	if (!strcmp(c, "noise-peer"))
		return cmd_noise_peer(&o);
	if (!strcmp(c, "noise-key"))
		return cmd_noise_key(&o);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

/* nc-cap: mint, attenuate, inspect and verify capability tokens (lib/cap) on
 * the host. Tokens travel as hex text. The root key is the development TEE
 * backend's (lib/tee), derived from a device secret given on the command line.
 * Exit status: 0 success, 1 the operation or verification failed, 2 usage. */
#include "args.h"
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/tee_dev.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_TTL_S 3600u
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"usage: nc-cap COMMAND [--option value]...\n"
	"  root-key  --device-secret HEX|--device-secret-file F     print the development TEE root public key\n"
	"  mint      (device secret) --action A --scope S [--not-before T] [--not-after T|--ttl S] [--now T]\n"
	"  attenuate --token HEX|- [--action A] [--scope S] [--not-before T] [--not-after T|--ttl S]\n"
	"  inspect   --token HEX|-\n"
	"  verify    --token HEX|- (--root HEX... | device secret) [--revoked ID]... [--now T]\n"
	"            [--action A --resource R]\n"
	"Times are Unix seconds; --now defaults to the clock; the default TTL is 3600 s.\n";

static uint8_t token[NC_CAP_MAX_TOKEN_BYTES], out[NC_CAP_MAX_TOKEN_BYTES];

static bool load_token(const tool_args_t *a, size_t *len)
{
	static char text[2 * NC_CAP_MAX_TOKEN_BYTES + 2];
	const char *hex = a->token_arg;
	if (!hex)
		return false;
	if (!strcmp(hex, "-")) {
		size_t n = fread(text, 1, sizeof text - 1, stdin);
		text[n] = '\0';
		hex = text;
	}
	return tool_unhex(hex, token, sizeof token, len);
}

static bool open_tee(const tool_args_t *a, nc_tee_t *tee, nc_tee_dev_t *m)
{
	nc_tee_err_t err = nc_tee_dev_open(tee, m, a->secret, a->secret_len, NULL);
	if (err != NC_TEE_OK)
		fprintf(stderr, "nc-cap: device secret: %s\n", nc_tee_err_name(err));
	return err == NC_TEE_OK;
}

static bool tee_sign(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t n)
{
	return nc_tee_sign(ctx, sig, msg, n) == NC_TEE_OK;
}

static int report(nc_cap_err_t err, const uint8_t *tok, size_t n)
{
	if (err != NC_CAP_OK) {
		fprintf(stderr, "nc-cap: %s\n", nc_cap_err_name(err));
		return EXIT_FAILED;
	}
	tool_print_hex(tok, n);
	printf("\n");
	return EXIT_OK;
}

/* Window from the options, defaulting to [base_nb, base_na) or now + TTL. */
static void pick_window(const tool_args_t *a, nc_cap_grant_t *g, uint64_t base_nb, uint64_t base_na)
{
	g->not_before_s = a->has_not_before ? a->not_before_s : base_nb;
	g->not_after_s = a->has_not_after ? a->not_after_s
		       : a->has_ttl       ? g->not_before_s + a->ttl_s
					  : base_na;
}

static int cmd_root_key(const tool_args_t *a)
{
	nc_tee_t tee;
	nc_tee_dev_t m;
	uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES];
	if (!open_tee(a, &tee, &m))
		return EXIT_USAGE;
	nc_tee_public_key(&tee, pk);
	nc_tee_close(&tee);
	tool_print_hex(pk, sizeof pk);
	printf("\n");
	return EXIT_OK;
}

static int cmd_mint(const tool_args_t *a)
{
	nc_tee_t tee;
	nc_tee_dev_t m;
	if (!a->action || !a->scope || !open_tee(a, &tee, &m))
		return EXIT_USAGE;
	nc_cap_issuer_t issuer = { .sign = tee_sign, .ctx = &tee };
	nc_tee_public_key(&tee, issuer.public_key);
	nc_cap_grant_t g = { a->action, strlen(a->action), a->scope, strlen(a->scope), 0, 0 };
	uint64_t nb = a->has_not_before ? a->not_before_s : a->now_s;
	pick_window(a, &g, nb, nb + DEFAULT_TTL_S);
	size_t n;
	nc_cap_err_t err = nc_cap_mint(out, sizeof out, &n, &g, &issuer);
	nc_tee_close(&tee);
	return report(err, out, n);
}

/* The last link of the loaded token (for defaults), or an error. */
static nc_cap_err_t last_link(size_t len, nc_cap_link_t *last)
{
	nc_cap_cursor_t c;
	nc_cap_err_t err = nc_cap_cursor_init(&c, token, len);
	while (err == NC_CAP_OK && c.next_link < c.n_links)
		err = nc_cap_cursor_next(&c, last);
	return err;
}

static int cmd_attenuate(const tool_args_t *a)
{
	size_t len, n = 0;
	nc_cap_link_t last;
	if (!load_token(a, &len))
		return EXIT_USAGE;
	nc_cap_err_t err = last_link(len, &last);
	if (err == NC_CAP_OK) {
		nc_cap_grant_t g = last.grant;
		if (a->action)
			g.action = a->action, g.action_len = strlen(a->action);
		if (a->scope)
			g.scope = a->scope, g.scope_len = strlen(a->scope);
		pick_window(a, &g, last.grant.not_before_s, last.grant.not_after_s);
		err = nc_cap_attenuate(out, sizeof out, &n, token, len, &g);
	}
	return report(err, out, n);
}

static void print_link(size_t i, const nc_cap_link_t *l)
{
	printf("link %zu\n  id         ", i);
	tool_print_hex(l->id, sizeof l->id);
	printf("\n  issuer     ");
	tool_print_hex(l->issuer, sizeof l->issuer);
	printf("\n  parent     ");
	if (l->has_parent)
		tool_print_hex(l->parent, sizeof l->parent);
	else
		printf("-");
	printf("\n  action     %.*s\n  scope      %.*s\n", (int)l->grant.action_len, l->grant.action,
	       (int)l->grant.scope_len, l->grant.scope);
	printf("  not_before %llu\n  not_after  %llu\n  next_key   ", (unsigned long long)l->grant.not_before_s,
	       (unsigned long long)l->grant.not_after_s);
	tool_print_hex(l->next_key, sizeof l->next_key);
	printf("\n");
}

static int cmd_inspect(const tool_args_t *a)
{
	size_t len;
	nc_cap_cursor_t c;
	nc_cap_link_t l;
	uint8_t seed[32];
	if (!load_token(a, &len))
		return EXIT_USAGE;
	nc_cap_err_t err = nc_cap_cursor_init(&c, token, len);
	if (err == NC_CAP_OK)
		printf("links %zu\n", c.n_links);
	while (err == NC_CAP_OK && c.next_link < c.n_links) {
		err = nc_cap_cursor_next(&c, &l);
		if (err == NC_CAP_OK)
			print_link(c.next_link - 1, &l);
	}
	if (err == NC_CAP_OK)
		err = nc_cap_cursor_proof(&c, seed);
	nc_crypto_wipe(seed, sizeof seed);
	if (err != NC_CAP_OK) {
		fprintf(stderr, "nc-cap: %s\n", nc_cap_err_name(err));
		return EXIT_FAILED;
	}
	printf("proof      (secret key of the last next_key, not shown)\n");
	return EXIT_OK;
}

static bool revoked_by_args(void *ctx, const uint8_t id[NC_CAP_ID_BYTES])
{
	const tool_args_t *a = ctx;
	for (size_t i = 0; i < a->n_revoked; i++)
		if (!memcmp(a->revoked[i], id, NC_CAP_ID_BYTES))
			return true;
	return false;
}

static int cmd_verify(tool_args_t *a)
{
	size_t len;
	if (!load_token(a, &len))
		return EXIT_USAGE;
	if (a->secret_len) {
		nc_tee_t tee;
		nc_tee_dev_t m;
		if (a->n_roots == MAX_ROOTS || !open_tee(a, &tee, &m))
			return EXIT_USAGE;
		nc_tee_public_key(&tee, a->roots[a->n_roots++]);
		nc_tee_close(&tee);
	}
	nc_cap_policy_t policy = { (const uint8_t(*)[NC_CAP_PUBLIC_KEY_BYTES])a->roots, a->n_roots,
				   revoked_by_args, a };
	nc_cap_grant_t g;
	nc_cap_err_t err = nc_cap_verify(token, len, &policy, a->now_s, &g);
	if (err == NC_CAP_OK && a->action && a->resource)
		err = nc_cap_check(&g, a->action, strlen(a->action), a->resource, strlen(a->resource));
	if (err != NC_CAP_OK) {
		printf("invalid %s\n", nc_cap_err_name(err));
		return EXIT_FAILED;
	}
	printf("valid action=%.*s scope=%.*s not_before=%llu not_after=%llu\n", (int)g.action_len, g.action,
	       (int)g.scope_len, g.scope, (unsigned long long)g.not_before_s, (unsigned long long)g.not_after_s);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	tool_args_t a;
	if (!tool_parse_args(argc, argv, &a) || nc_crypto_init() != NC_CRYPTO_OK) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	int rc = EXIT_USAGE;
	if (!strcmp(a.command, "root-key")) rc = cmd_root_key(&a);
	else if (!strcmp(a.command, "mint")) rc = cmd_mint(&a);
	else if (!strcmp(a.command, "attenuate")) rc = cmd_attenuate(&a);
	else if (!strcmp(a.command, "inspect")) rc = cmd_inspect(&a);
	else if (!strcmp(a.command, "verify")) rc = cmd_verify(&a);
	nc_crypto_wipe(a.secret, sizeof a.secret);
	if (rc == EXIT_USAGE)
		fputs(usage, stderr);
	return rc;
}

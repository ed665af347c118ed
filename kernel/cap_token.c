/* Capability tokens in and out of the kernel (see kernel/cap.h and
 * docs/capabilities.md). The kernel's root signing key comes from lib/tee's
 * development mock keyed with a per-boot secret from the CSPRNG: tokens it
 * exports verify on this boot only (no hardware TEE backend exists yet).
 * Token windows are wall-clock seconds; the kernel converts them with the
 * boot time read from the CMOS clock. A revoked imported capability's token
 * id goes on a bounded list (oldest entries fall off once they have expired:
 * tokens live at most NC_CAP_MAX_TTL_S). */
#include <kernel/arch.h>
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee.h>

enum { REVOKED_MAX = 64, NS_PER_S = 1000000000 };

static nc_tee_t tee;
static nc_tee_mock_t mock;
static uint8_t root_pk[NC_CAP_PUBLIC_KEY_BYTES];
static uint64_t boot_epoch_s;           /* wall-clock second at kernel clock 0 */
static spinlock_t lock = SPINLOCK_INIT; /* guards revoked[] and signing */
static uint8_t revoked[REVOKED_MAX][NC_CAP_ID_BYTES];
static uint32_t n_revoked, next_revoked;

void cap_token_init(void)
{
	uint8_t secret[NC_TEE_MOCK_MIN_SECRET_BYTES];
	random_fill(secret, sizeof secret);
	nc_tee_mock_open(&tee, &mock, secret, sizeof secret);
	nc_crypto_wipe(secret, sizeof secret);
	nc_tee_public_key(&tee, root_pk);
	boot_epoch_s = arch_rtc_epoch_s() - clock_now_ns() / NS_PER_S;
	kprintf("cap: per-boot root key (tee mock), wall clock %llu s\n",
		(unsigned long long)(boot_epoch_s + clock_now_ns() / NS_PER_S));
}

static uint64_t now_s(void) { return boot_epoch_s + clock_now_ns() / NS_PER_S; }

static bool is_revoked(void *ctx, const uint8_t id[NC_CAP_ID_BYTES])
{
	(void)ctx;
	for (uint32_t i = 0; i < n_revoked; i++)
		if (nc_mem_compare(revoked[i], id, NC_CAP_ID_BYTES) == 0)
			return true;
	return false;
}

void cap_token_revoked(const kcap_t *c)
{
	if (!c->from_token)
		return;
	uint64_t f = spin_lock(&lock);
	nc_mem_copy(revoked[next_revoked], c->token_id, NC_CAP_ID_BYTES);
	next_revoked = (next_revoked + 1) % REVOKED_MAX;
	if (n_revoked < REVOKED_MAX)
		n_revoked++;
	spin_unlock(&lock, f);
}

/* Wall-clock second s as kernel-clock nanoseconds (clamped to the clock's range). */
static uint64_t to_kernel_ns(uint64_t s)
{
	if (s <= boot_epoch_s)
		return 0;
	uint64_t d = s - boot_epoch_s;
	return d > UINT64_MAX / NS_PER_S ? CAP_FOREVER : d * NS_PER_S;
}

static nc_sys_err_t map_err(nc_cap_err_t e)
{
	switch (e) {
	case NC_CAP_ERR_REVOKED: return NC_SYS_ERR_REVOKED;
	case NC_CAP_ERR_EXPIRED:
	case NC_CAP_ERR_NOT_YET_VALID: return NC_SYS_ERR_EXPIRED;
	default: return NC_SYS_ERR_BAD_TOKEN;
	}
}

nc_sys_err_t cap_token_import(const uint8_t *tok, size_t len, kcap_t **out)
{
	nc_cap_policy_t policy = { &root_pk, 1, is_revoked, NULL };
	nc_cap_grant_t g;
	uint64_t f = spin_lock(&lock);
	nc_cap_err_t e = nc_cap_verify(tok, len, &policy, now_s(), &g);
	spin_unlock(&lock, f);
	if (e)
		return map_err(e);
	if (g.action_len > NC_SYS_CAP_ACTION_MAX || g.scope_len > NC_SYS_CAP_SCOPE_MAX)
		return NC_SYS_ERR_BAD_TOKEN;
	/* the last link's id names this grant for revocation */
	nc_cap_cursor_t cur;
	nc_cap_link_t link;
	nc_cap_cursor_init(&cur, tok, len);
	for (size_t i = 0; i < cur.n_links; i++)
		nc_cap_cursor_next(&cur, &link);
	char action[NC_SYS_CAP_ACTION_MAX + 1], scope[NC_SYS_CAP_SCOPE_MAX + 1];
	nc_mem_copy(action, g.action, g.action_len);
	action[g.action_len] = 0;
	nc_mem_copy(scope, g.scope, g.scope_len);
	scope[g.scope_len] = 0;
	uint64_t nb = to_kernel_ns(g.not_before_s > NC_CAP_CLOCK_SKEW_S ? g.not_before_s - NC_CAP_CLOCK_SKEW_S : 0);
	kcap_t *c = cap_create_root(action, scope, nb, to_kernel_ns(g.not_after_s));
	if (!c)
		return NC_SYS_ERR_NO_MEMORY;
	c->from_token = true;
	nc_mem_copy(c->token_id, link.id, sizeof c->token_id);
	*out = c;
	return NC_SYS_OK;
}

static bool sign(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t len_bytes)
{
	(void)ctx;
	return nc_tee_sign(&tee, sig, msg, len_bytes) == NC_TEE_OK;
}

nc_sys_err_t cap_token_export(const kcap_t *c, uint8_t *buf, size_t cap_bytes, size_t *len_out)
{
	nc_sys_err_t err = cap_state(c);
	if (err)
		return err;
	uint64_t now = now_s();
	uint64_t nb = boot_epoch_s + c->not_before_ns / NS_PER_S;
	uint64_t na = c->not_after_ns == CAP_FOREVER ? UINT64_MAX : boot_epoch_s + c->not_after_ns / NS_PER_S;
	if (na > now + NC_CAP_MAX_TTL_S / 2)
		na = now + NC_CAP_MAX_TTL_S / 2; /* tokens are short-lived */
	if (nb < now - (NC_CAP_MAX_TTL_S / 2 - 1))
		nb = now - (NC_CAP_MAX_TTL_S / 2 - 1);
	if (nb >= na)
		return NC_SYS_ERR_EXPIRED;
	nc_cap_grant_t g = { c->action, c->action_len, c->scope, c->scope_len, nb, na };
	nc_cap_issuer_t issuer = { { 0 }, sign, NULL };
	nc_mem_copy(issuer.public_key, root_pk, sizeof root_pk);
	uint64_t f = spin_lock(&lock);
	nc_cap_err_t e = nc_cap_mint(buf, cap_bytes, len_out, &g, &issuer);
	spin_unlock(&lock, f);
	if (e == NC_CAP_ERR_BUFFER)
		return NC_SYS_ERR_TOO_SMALL;
	return e ? NC_SYS_ERR_BAD_TOKEN : NC_SYS_OK;
}

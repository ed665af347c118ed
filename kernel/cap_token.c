/* Capability tokens in and out of the kernel (see kernel/cap.h and
 * docs/capabilities.md). The kernel's root signing key comes from lib/tee's
 * development mock keyed with a per-boot secret from the CSPRNG: tokens it
 * exports verify on this boot only (no hardware TEE backend exists yet).
 * Token windows are wall-clock seconds; the kernel converts them with the
 * boot time read from the CMOS clock.
 *
 * Revocation: one table of token ids (ids[], CAP_TOKEN_IDS_MAX slots, under
 * `lock`), consulted by nc_cap_verify for every link of a token. A slot is
 *   EXPORTED  link 0 of a token CapExport minted; holds a counted reference to
 *             the source capability. The token counts as revoked as soon as
 *             the source or an ancestor is (the same flag cap_revoke stores),
 *             and cap_token_revoked turns the slot into REVOKED;
 *   IMPORTED  the last link of an imported token of two or more links, so
 *             that revoking the imported capability can blacklist it;
 *   REVOKED   a revoked id: the token and every token attenuated from it
 *             (they contain this link) are rejected.
 * Each slot lives until its token's not_after (then the window check rejects
 * the token anyway; windows nest, so no descendant outlives link 0). Slots are
 * taken when a token is exported or imported, never when one is revoked, so a
 * revocation always finds its slot and is never lost; when the table is full
 * of live tokens, CapExport fails (NO_MEMORY) and importing an attenuated
 * token fails (LIMIT) until some expire. */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>

enum { NS_PER_S = 1000000000 };

typedef enum { ID_FREE, ID_EXPORTED, ID_IMPORTED, ID_REVOKED } id_state_t;

typedef struct {
	uint8_t id[NC_CAP_ID_BYTES];
	id_state_t state;
	uint64_t not_after_s; /* the token's: the slot is free from then on */
	kcap_t *source;       /* EXPORTED: counted reference; else NULL */
} token_id_t;

static nc_tee_t tee;
static nc_tee_dev_t root_dev;
static uint8_t root_pk[NC_CAP_PUBLIC_KEY_BYTES];
static uint64_t boot_epoch_s;           /* wall-clock second at kernel clock 0 */
static spinlock_t lock = SPINLOCK_INIT; /* guards ids[]; never held over crypto */
static token_id_t ids[CAP_TOKEN_IDS_MAX];

void cap_token_init(void)
{
	uint8_t secret[NC_TEE_DEV_MIN_SECRET_BYTES];
	random_fill(secret, sizeof secret);
	nc_tee_dev_open(&tee, &root_dev, secret, sizeof secret, NULL);
	nc_crypto_wipe(secret, sizeof secret);
	nc_tee_public_key(&tee, root_pk);
	boot_epoch_s = (clock_wall_ns() - clock_now_ns()) / NS_PER_S;
	kprintf("cap: per-boot root key (tee mock), wall clock %llu s\n",
		(unsigned long long)(boot_epoch_s + clock_now_ns() / NS_PER_S));
}

static uint64_t now_s(void) { return boot_epoch_s + clock_now_ns() / NS_PER_S; }

/* The slot remembering id, or NULL. Caller holds lock. */
static token_id_t *lookup(const uint8_t id[NC_CAP_ID_BYTES])
{
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state != ID_FREE && nc_mem_compare(ids[i].id, id, NC_CAP_ID_BYTES) == 0)
			return &ids[i];
	return NULL;
}

/* Turn e into state, dropping its source reference (kcap destruction never
 * comes back here, so dropping it under lock is safe). Caller holds lock. */
static void set_state(token_id_t *e, id_state_t state)
{
	kcap_t *source = e->source;
	e->source = NULL;
	e->state = state;
	if (source)
		kobj_unref(&source->obj);
}

/* Free every slot whose token has expired at now, then return a free slot or
 * NULL when every slot holds a live token. Caller holds lock. */
static token_id_t *take_slot(uint64_t now)
{
	token_id_t *free = NULL;
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++) {
		if (ids[i].state != ID_FREE && now >= ids[i].not_after_s)
			set_state(&ids[i], ID_FREE);
		if (!free && ids[i].state == ID_FREE)
			free = &ids[i];
	}
	return free;
}

static void fill_slot(token_id_t *e, const uint8_t id[NC_CAP_ID_BYTES], id_state_t state,
		      uint64_t not_after_s, kcap_t *source)
{
	nc_mem_copy(e->id, id, NC_CAP_ID_BYTES);
	e->state = state;
	e->not_after_s = not_after_s;
	e->source = source;
}

/* Whether a token containing a link with this id is revoked. Caller holds lock. */
static bool revoked_locked(const uint8_t id[NC_CAP_ID_BYTES])
{
	const token_id_t *e = lookup(id);
	return e && (e->state == ID_REVOKED || (e->state == ID_EXPORTED && cap_revoked(e->source)));
}

/* nc_cap_verify's revocation callback (takes lock). */
static bool is_revoked(void *ctx, const uint8_t id[NC_CAP_ID_BYTES])
{
	(void)ctx;
	uint64_t f = spin_lock(&lock);
	bool r = revoked_locked(id);
	spin_unlock(&lock, f);
	return r;
}

void cap_token_revoked(const kcap_t *c)
{
	uint64_t f = spin_lock(&lock);
	token_id_t *own = c->from_token ? lookup(c->token_id) : NULL;
	if (own)
		set_state(own, ID_REVOKED);
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state == ID_EXPORTED && cap_revoked(ids[i].source))
			set_state(&ids[i], ID_REVOKED);
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

/* Under lock, for a token tok verified at now (outside the lock, so
 * revocations may have landed since): check every link id again, then
 * *last_id gets the last link's id (given a slot when the token has two or
 * more links) and *source a counted reference to the capability link 0 was
 * exported from. */
static nc_sys_err_t claim_locked(const uint8_t *tok, size_t len, uint64_t now, uint64_t not_after_s,
				 uint8_t last_id[NC_CAP_ID_BYTES], kcap_t **source)
{
	nc_cap_cursor_t cur;
	nc_cap_link_t first, link;
	nc_cap_cursor_init(&cur, tok, len);
	for (size_t i = 0; i < cur.n_links; i++) {
		nc_cap_cursor_next(&cur, &link);
		if (i == 0)
			first = link;
		if (revoked_locked(link.id))
			return NC_SYS_ERR_REVOKED;
	}
	/* Link 0 verified under the root key, so CapExport gave it a slot before
	 * handing the token out; not revoked, the slot is gone only if another
	 * CPU freed it since verification because the token had expired. */
	token_id_t *src = lookup(first.id);
	if (!src || src->state != ID_EXPORTED)
		return NC_SYS_ERR_EXPIRED;
	if (cur.n_links > 1 && !lookup(link.id)) {
		token_id_t *own = take_slot(now);
		if (!own)
			return NC_SYS_ERR_LIMIT;
		fill_slot(own, link.id, ID_IMPORTED, not_after_s, NULL);
	}
	nc_mem_copy(last_id, link.id, NC_CAP_ID_BYTES);
	kobj_ref(&src->source->obj);
	*source = src->source;
	return NC_SYS_OK;
}

nc_sys_err_t cap_token_import(const uint8_t *tok, size_t len, kcap_t **out)
{
	nc_cap_policy_t policy = { &root_pk, 1, is_revoked, NULL };
	nc_cap_grant_t g;
	uint8_t last_id[NC_CAP_ID_BYTES];
	kcap_t *source = NULL, *c = NULL;
	uint64_t now = now_s();
	nc_cap_err_t e = nc_cap_verify(tok, len, &policy, now, &g);
	if (e)
		return map_err(e);
	if (g.action_len > NC_SYS_CAP_ACTION_MAX || g.scope_len > NC_SYS_CAP_SCOPE_MAX)
		return NC_SYS_ERR_BAD_TOKEN;
	uint64_t f = spin_lock(&lock);
	nc_sys_err_t err = claim_locked(tok, len, now, g.not_after_s, last_id, &source);
	spin_unlock(&lock, f);
	if (err)
		return err;
	/* derived from the source: revoking it (or an ancestor) revokes c too */
	err = cap_derive(source, g.action, g.action_len, g.scope, g.scope_len, to_kernel_ns(g.not_after_s), &c);
	kobj_unref(&source->obj);
	if (err)
		return err == NC_SYS_ERR_INVALID ? NC_SYS_ERR_BAD_TOKEN : err;
	uint64_t nb = to_kernel_ns(g.not_before_s > NC_CAP_CLOCK_SKEW_S ? g.not_before_s - NC_CAP_CLOCK_SKEW_S : 0);
	if (nb > c->not_before_ns)
		c->not_before_ns = nb;
	c->from_token = true;
	nc_mem_copy(c->token_id, last_id, sizeof c->token_id);
	*out = c;
	return NC_SYS_OK;
}

static bool sign(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t len_bytes)
{
	(void)ctx;
	return nc_tee_sign(&tee, sig, msg, len_bytes) == NC_TEE_OK;
}

nc_sys_err_t cap_token_export(kcap_t *c, uint8_t *buf, size_t cap_bytes, size_t *len_out)
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
	nc_cap_err_t e = nc_cap_mint(buf, cap_bytes, len_out, &g, &issuer);
	if (e)
		return e == NC_CAP_ERR_BUFFER ? NC_SYS_ERR_TOO_SMALL : NC_SYS_ERR_BAD_TOKEN;
	nc_cap_cursor_t cur;
	nc_cap_link_t link0;
	nc_cap_cursor_init(&cur, buf, *len_out);
	nc_cap_cursor_next(&cur, &link0);
	/* Checking the flag and taking the slot under one lock hold: a
	 * cap_revoke that stored its flag before this check makes the export
	 * fail, one that stores it later finds the slot in its pass. A token
	 * that gets no slot is never handed out (and would not import). */
	uint64_t f = spin_lock(&lock);
	token_id_t *slot = NULL;
	if (cap_revoked(c))
		err = NC_SYS_ERR_REVOKED;
	else if (!(slot = take_slot(now)))
		err = NC_SYS_ERR_NO_MEMORY;
	else {
		kobj_ref(&c->obj);
		fill_slot(slot, link0.id, ID_EXPORTED, na, c);
	}
	spin_unlock(&lock, f);
	return err;
}

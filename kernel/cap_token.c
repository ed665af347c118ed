/* Capability tokens in and out of the kernel (see kernel/cap.h and
 * docs/capabilities.md). The kernel's root signing key comes from lib/tee's
 * development mock keyed with a per-boot secret from the CSPRNG: tokens it
 * exports verify on this boot only (no hardware TEE backend exists yet).
 * Token windows are wall-clock seconds; the kernel converts them with the
 * boot time read from the CMOS clock.
 *
 * Revocation: one table of entries (ids[], CAP_TOKEN_IDS_MAX, under `lock`),
 * consulted for every link of a token. An entry is
 *   EXPORTED  link 0 of a token CapExport minted; holds a counted reference to
 *             the source capability and the exporting handle's rights (an
 *             import's). The token counts as revoked as soon as the source or
 *             an ancestor is (the flag cap_revoke stores), and
 *             cap_token_revoked turns the entry into REVOKED;
 *   IMPORTED  the last link of an imported token of two or more links whose
 *             import got RIGHT_REVOKE, so that revoking the imported
 *             capability can revoke that token. It matches that exact link
 *             (id and signature: a link carrying a copied id is another
 *             link), lives while a capability imported from it does, and is
 *             charged to the importer's quota;
 *   REVOKED   a revoked link: by id for a link 0 (ids the kernel drew),
 *             exactly for an import's. Every token containing it (the token
 *             and those attenuated from it) is rejected.
 * Every entry ends at its token's not_after (then the window check rejects
 * the token anyway; windows nest, so no descendant outlives it). Entries are
 * taken when a token is exported or imported, never when one is revoked, so
 * a revocation always finds its entry. When the table is full of live tokens
 * CapExport fails (NO_MEMORY); imports hold at most half of it, and one
 * quota (a process and the children sharing it) at most
 * NC_SYS_TOKEN_IMPORTS_MAX entries (LIMIT), so imports never starve exports.
 *
 * Capabilities are never dropped under `lock` (an imported capability's
 * destruction comes back here, cap_token_forget): references leave on a
 * list dropped after the unlock. */
#include <kernel/cap.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/quota.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>

enum { NS_PER_S = 1000000000, IMPORT_ENTRIES_MAX = CAP_TOKEN_IDS_MAX / 2 };

typedef enum { ID_FREE, ID_EXPORTED, ID_IMPORTED, ID_REVOKED } id_state_t;

typedef struct {
	uint8_t id[NC_CAP_ID_BYTES];
	id_state_t state;
	bool exact;                    /* an import's: matches the link with sig only */
	uint8_t sig[NC_CAP_SIG_BYTES]; /* exact: the link's signature */
	uint64_t not_after_s;          /* the token's: the entry is free from then on */
	uint64_t serial;               /* names the entry to capabilities (token_serial) */
	uint32_t rights;               /* EXPORTED: what an import's handle gets */
	uint32_t holders;              /* IMPORTED: live capabilities imported through it */
	kcap_t *source;                /* EXPORTED: counted reference; else NULL */
	quota_t *charged;              /* exact: charged ENTRY_BYTES as an object */
} token_id_t;

/* What an import's entry costs its quota: the entry, in heap terms. */
#define ENTRY_BYTES quota_heap_bytes(sizeof(token_id_t))

static nc_tee_t tee;
static nc_tee_dev_t root_dev;
static uint8_t root_pk[NC_CAP_PUBLIC_KEY_BYTES];
static uint64_t boot_epoch_s;           /* wall-clock second at kernel clock 0 */
static spinlock_t lock = SPINLOCK_INIT; /* guards ids[], next_serial; never held over crypto */
static token_id_t ids[CAP_TOKEN_IDS_MAX];
static uint64_t next_serial = 1;

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

/* The link-0 entry (exported or revoked) with id, or NULL. Caller holds lock. */
static token_id_t *by_id(const uint8_t id[NC_CAP_ID_BYTES])
{
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state != ID_FREE && !ids[i].exact &&
		    nc_mem_compare(ids[i].id, id, NC_CAP_ID_BYTES) == 0)
			return &ids[i];
	return NULL;
}

/* The import entry for exactly link l in state, or NULL. Caller holds lock. */
static token_id_t *exact(const nc_cap_link_t *l, id_state_t state)
{
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state == state && ids[i].exact && nc_mem_compare(ids[i].id, l->id, NC_CAP_ID_BYTES) == 0 &&
		    nc_mem_compare(ids[i].sig, l->signature, NC_CAP_SIG_BYTES) == 0)
			return &ids[i];
	return NULL;
}

/* The entry with serial, or NULL. Caller holds lock. */
static token_id_t *by_serial(uint64_t serial)
{
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (serial && ids[i].state != ID_FREE && ids[i].serial == serial)
			return &ids[i];
	return NULL;
}

/* References the table let go of, dropped after the unlock (one per entry
 * at most, so CAP_TOKEN_IDS_MAX; 2 KiB: only in the small locked helpers). */
typedef struct {
	kcap_t *refs[CAP_TOKEN_IDS_MAX];
	uint32_t n;
} drops_t;

static void drop_all(drops_t *d)
{
	while (d->n)
		kobj_unref(&d->refs[--d->n]->obj);
}

/* Turn e into state: its source reference goes to d; a freed import entry
 * gives its charge back. Caller holds lock. */
static void set_state(token_id_t *e, id_state_t state, drops_t *d)
{
	if (e->source)
		d->refs[d->n++] = e->source;
	e->source = NULL;
	e->state = state;
	if (state != ID_FREE)
		return;
	if (e->charged)
		quota_uncharge_object(e->charged, ENTRY_BYTES);
	e->charged = NULL;
	e->exact = false;
	e->holders = 0;
}

/* Free every entry whose token has expired at now, then return a free
 * entry, or NULL when every entry holds a live token. Caller holds lock. */
static token_id_t *take_slot(uint64_t now, drops_t *d)
{
	token_id_t *free = NULL;
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++) {
		if (ids[i].state != ID_FREE && now >= ids[i].not_after_s)
			set_state(&ids[i], ID_FREE, d);
		if (!free && ids[i].state == ID_FREE)
			free = &ids[i];
	}
	return free;
}

static void fill_slot(token_id_t *e, const uint8_t id[NC_CAP_ID_BYTES], id_state_t state,
		      uint64_t not_after_s)
{
	nc_mem_copy(e->id, id, NC_CAP_ID_BYTES);
	e->state = state;
	e->not_after_s = not_after_s;
	e->serial = next_serial++;
}

/* Whether a token containing link l is revoked. Caller holds lock. */
static bool revoked_locked(const nc_cap_link_t *l)
{
	const token_id_t *e = by_id(l->id);
	if (e && (e->state == ID_REVOKED || (e->state == ID_EXPORTED && cap_revoked(e->source))))
		return true;
	return exact(l, ID_REVOKED) != NULL;
}

/* nc_cap_verify's revocation callback (takes lock): the link-0 entries,
 * found by id. Import entries are checked exactly in claim_locked. */
static bool is_revoked(void *ctx, const uint8_t id[NC_CAP_ID_BYTES])
{
	(void)ctx;
	uint64_t f = spin_lock(&lock);
	const token_id_t *e = by_id(id);
	bool r = e && (e->state == ID_REVOKED || (e->state == ID_EXPORTED && cap_revoked(e->source)));
	spin_unlock(&lock, f);
	return r;
}

void cap_token_revoked(const kcap_t *c)
{
	drops_t d = { .n = 0 };
	uint64_t f = spin_lock(&lock);
	token_id_t *own = by_serial(c->token_serial);
	if (own && (own->state == ID_EXPORTED || own->state == ID_IMPORTED))
		set_state(own, ID_REVOKED, &d);
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state == ID_EXPORTED && cap_revoked(ids[i].source))
			set_state(&ids[i], ID_REVOKED, &d);
	spin_unlock(&lock, f);
	drop_all(&d);
}

/* A capability imported through entry serial is gone: the last one frees
 * an import entry (a revoked one stays until its token expires). */
static void forget(uint64_t serial)
{
	uint64_t f = spin_lock(&lock);
	token_id_t *e = by_serial(serial);
	if (e && e->state == ID_IMPORTED && --e->holders == 0) {
		drops_t d = { .n = 0 }; /* an import entry holds no source */
		set_state(e, ID_FREE, &d);
	}
	spin_unlock(&lock, f);
}

void cap_token_forget(const kcap_t *c)
{
	forget(c->token_serial);
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

/* An entry for an import charged to q: free, within the imports' half of
 * the table and q's NC_SYS_TOKEN_IMPORTS_MAX (a NULL q, the kernel's, has no
 * per-quota bound), q charged. NULL with *err LIMIT. Caller holds lock. */
static token_id_t *import_slot(uint64_t now, quota_t *q, drops_t *d, nc_sys_err_t *err)
{
	token_id_t *e = take_slot(now, d);
	uint32_t imports = 0, mine = 0;
	for (uint32_t i = 0; i < CAP_TOKEN_IDS_MAX; i++)
		if (ids[i].state != ID_FREE && ids[i].exact) {
			imports++;
			mine += q && ids[i].charged == q;
		}
	*err = NC_SYS_ERR_LIMIT;
	if (!e || imports >= IMPORT_ENTRIES_MAX || mine >= NC_SYS_TOKEN_IMPORTS_MAX)
		return NULL;
	*err = quota_charge_object(q, ENTRY_BYTES);
	if (*err)
		return NULL;
	e->charged = q;
	return e;
}

/* What an import gets from the table: a reference to the source, the
 * rights, and the entry CapRevoke on the import revokes (0: none). */
typedef struct {
	kcap_t *source;
	uint32_t rights;
	uint64_t serial;
} claim_t;

/* Under lock, for a token tok verified at now (outside the lock, so
 * revocations may have landed since): check every link again, then fill
 * *out. An import with RIGHT_REVOKE revokes link 0's entry (one link) or an
 * entry for its last link, shared with earlier imports of the same link or
 * taken and charged to q. */
static nc_sys_err_t claim_locked(const uint8_t *tok, size_t len, uint64_t now, uint64_t not_after_s,
				 quota_t *q, drops_t *d, claim_t *out)
{
	nc_cap_cursor_t cur;
	nc_cap_link_t first, link;
	nc_cap_cursor_init(&cur, tok, len);
	for (size_t i = 0; i < cur.n_links; i++) {
		nc_cap_cursor_next(&cur, &link);
		if (i == 0)
			first = link;
		if (revoked_locked(&link))
			return NC_SYS_ERR_REVOKED;
	}
	/* Link 0 verified under the root key, so CapExport gave it an entry
	 * before handing the token out; not revoked, the entry is gone only if
	 * another CPU freed it since verification because the token expired. */
	token_id_t *src = by_id(first.id);
	if (!src || src->state != ID_EXPORTED)
		return NC_SYS_ERR_EXPIRED;
	token_id_t *own = NULL;
	if ((src->rights & NC_SYS_RIGHT_REVOKE) && cur.n_links == 1)
		own = src;
	else if (src->rights & NC_SYS_RIGHT_REVOKE) {
		nc_sys_err_t err = NC_SYS_OK;
		own = exact(&link, ID_IMPORTED);
		if (!own && !(own = import_slot(now, q, d, &err)))
			return err;
		if (!own->holders) {
			fill_slot(own, link.id, ID_IMPORTED, not_after_s);
			own->exact = true;
			nc_mem_copy(own->sig, link.signature, NC_CAP_SIG_BYTES);
		}
		own->holders++;
	}
	out->serial = own ? own->serial : 0;
	out->rights = src->rights;
	kobj_ref(&src->source->obj);
	out->source = src->source;
	return NC_SYS_OK;
}

/* claim_locked under the lock, for the caller's quota (kept apart from the
 * signature checks: drops_t is large). */
static __attribute__((noinline)) nc_sys_err_t claim(const uint8_t *tok, size_t len, uint64_t now,
						     uint64_t not_after_s, claim_t *out)
{
	drops_t d = { .n = 0 };
	uint64_t f = spin_lock(&lock);
	nc_sys_err_t err = claim_locked(tok, len, now, not_after_s, quota_current(), &d, out);
	spin_unlock(&lock, f);
	drop_all(&d);
	return err;
}

nc_sys_err_t cap_token_import(const uint8_t *tok, size_t len, kcap_t **out, uint32_t *rights_out)
{
	nc_cap_policy_t policy = { &root_pk, 1, is_revoked, NULL };
	nc_cap_grant_t g;
	claim_t cl;
	kcap_t *c = NULL;
	uint64_t now = now_s();
	nc_cap_err_t e = nc_cap_verify(tok, len, &policy, now, &g);
	if (e)
		return map_err(e);
	if (g.action_len > NC_SYS_CAP_ACTION_MAX || g.scope_len > NC_SYS_CAP_SCOPE_MAX)
		return NC_SYS_ERR_BAD_TOKEN;
	nc_sys_err_t err = claim(tok, len, now, g.not_after_s, &cl);
	if (err)
		return err;
	/* derived from the source: revoking it (or an ancestor) revokes c too */
	err = cap_derive(cl.source, g.action, g.action_len, g.scope, g.scope_len, to_kernel_ns(g.not_after_s), &c);
	kobj_unref(&cl.source->obj);
	if (err) {
		forget(cl.serial); /* the entry's holder never came to be */
		return err == NC_SYS_ERR_INVALID ? NC_SYS_ERR_BAD_TOKEN : err;
	}
	uint64_t nb = to_kernel_ns(g.not_before_s > NC_CAP_CLOCK_SKEW_S ? g.not_before_s - NC_CAP_CLOCK_SKEW_S : 0);
	if (nb > c->not_before_ns)
		c->not_before_ns = nb;
	c->token_serial = cl.serial;
	*out = c;
	*rights_out = cl.rights;
	return NC_SYS_OK;
}

/* Give the exported token with link-0 id an entry (source c, rights, until
 * na). Checking the flag and taking the entry under one lock hold: a
 * cap_revoke that stored its flag before this check makes the export fail,
 * one that stores it later finds the entry in its pass. A token that gets
 * no entry is never handed out (and would not import). */
static __attribute__((noinline)) nc_sys_err_t remember_export(kcap_t *c, uint32_t rights,
							       const uint8_t id[NC_CAP_ID_BYTES], uint64_t now,
							       uint64_t na)
{
	nc_sys_err_t err = NC_SYS_OK;
	drops_t d = { .n = 0 };
	uint64_t f = spin_lock(&lock);
	token_id_t *slot = NULL;
	if (cap_revoked(c))
		err = NC_SYS_ERR_REVOKED;
	else if (!(slot = take_slot(now, &d)))
		err = NC_SYS_ERR_NO_MEMORY;
	else {
		kobj_ref(&c->obj);
		fill_slot(slot, id, ID_EXPORTED, na);
		slot->source = c;
		slot->rights = rights;
	}
	spin_unlock(&lock, f);
	drop_all(&d);
	return err;
}

static bool sign(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t len_bytes)
{
	(void)ctx;
	return nc_tee_sign(&tee, sig, msg, len_bytes) == NC_TEE_OK;
}

nc_sys_err_t cap_token_export(kcap_t *c, uint32_t rights, uint8_t *buf, size_t cap_bytes, size_t *len_out)
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
	return remember_export(c, rights, link0.id, now, na);
}

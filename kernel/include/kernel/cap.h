/* In-kernel capabilities (docs/capabilities.md). A capability object names an
 * action ("fs.read"; lib/cap's dotted syntax: "fs" covers "fs.read"), a scope
 * (lib/scope: a path such as "/etc", or a name, "*" for every name) and a time
 * window on the kernel clock. Processes hold capabilities only through handles
 * of type NC_SYS_HANDLE_CAP: nothing is ambient; init receives the root set
 * from the kernel and every other process gets what its parent passes on.
 *
 * Derivation: cap_derive makes a child capability that is never stronger than
 * its parent (action covered, scope covered, window inside). A child keeps a
 * reference to its parent; a capability is valid only while it and all its
 * ancestors are unrevoked and inside their windows, checked at every use. So
 * cap_revoke (one atomic store) revokes a capability, everything derived from
 * it and every handle opened under them, on all CPUs at once: the next check
 * anywhere fails. The same flag reaches tokens: every exported token keeps a
 * reference to the capability it came from (kernel/cap_token.c), and a token
 * whose source or an ancestor of it is revoked no longer imports. A capability
 * imported from a token is derived from that source, so it is revoked with it.
 * SMP-safe; nothing here sleeps. */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <nc/abi.h>

/* CAP_TOKEN_IDS_MAX: token ids the kernel remembers at once (exported tokens,
 * imported attenuated tokens, revoked tokens), each until its token expires. */
enum { CAP_MAX_DEPTH = 16, CAP_TOKEN_IDS_MAX = 256 };
#define CAP_FOREVER UINT64_MAX

typedef struct kcap {
	kobj_t obj;                         /* type NC_SYS_HANDLE_CAP */
	struct kcap *parent;                /* counted; NULL for a root */
	struct quota *quota;                /* charged for it (its creator's; NULL for a root) */
	volatile bool revoked;
	uint32_t depth;                     /* 0 for a root */
	uint64_t not_before_ns, not_after_ns; /* kernel clock; CAP_FOREVER: no end */
	uint64_t token_serial;              /* imported by CapValidate: the token-table entry
					     * revoking it revokes (0: none; kernel/cap_token.c) */
	uint32_t action_len, scope_len;
	char action[NC_SYS_CAP_ACTION_MAX + 1];
	char scope[NC_SYS_CAP_SCOPE_MAX + 1];
} kcap_t;

/* A new root capability (one reference, the caller's), or NULL when out of
 * memory or the action or scope is malformed. */
kcap_t *cap_create_root(const char *action, const char *scope, uint64_t not_before_ns,
			uint64_t not_after_ns);
/* A child of parent granting action/scope (each empty: the parent's) until
 * min(parent's end, not_after_ns), charged to the caller's quota. Errors:
 * INVALID (malformed, or wider than the parent), LIMIT (deeper than
 * CAP_MAX_DEPTH, or the quota), NO_MEMORY, REVOKED, EXPIRED. */
nc_sys_err_t cap_derive(kcap_t *parent, const char *action, size_t action_len, const char *scope,
			size_t scope_len, uint64_t not_after_ns, kcap_t **out);
/* OK, or REVOKED / EXPIRED for c or any ancestor at the kernel clock now. */
nc_sys_err_t cap_state(const kcap_t *c);
/* True when c or any ancestor is revoked (windows are not looked at). */
bool cap_revoked(const kcap_t *c);
/* Revoke c and everything derived from it: capabilities, handles opened under
 * them, tokens exported from any of them (and tokens attenuated from those),
 * and, if c was imported from a token, that token. Never fails: every token id
 * it has to remember already has its slot (cap_token_export, cap_token_import).
 * Must not be called holding a spinlock. */
void cap_revoke(kcap_t *c);
/* True when the current process holds a valid capability whose action covers
 * action (any scope). Used by the generated dispatch for every cap=... call. */
bool cap_holds_action(const char *action);
/* OK when the current process holds a valid capability covering action on
 * resource (a path or name, lib/scope rules); else DENIED. */
nc_sys_err_t cap_check(const char *action, const char *resource, size_t resource_len);
/* cap_check of fs.read on the initrd file name[0..name_len) (1..PATH_MAX
 * bytes), which the scope sees from the root: "/name". */
nc_sys_err_t cap_check_initrd_read(const char *name, size_t name_len);
/* As cap_check, and *out gets a counted reference to the covering capability
 * (to become the origin of a handle opened under it). */
nc_sys_err_t cap_find(const char *action, const char *resource, size_t resource_len, kcap_t **out);
/* True when the current process holds a valid capability covering action
 * whose scope covers path or lies under it: path is inside a grant or on the
 * way down to one (SetCwd shows nothing else). */
bool cap_reaches(const char *action, const char *path, size_t path_len);
/* Token import and export (kernel/cap_token.c, lib/cap format, signed by the
 * kernel's root key from lib/tee). The kernel remembers token links in one
 * table of CAP_TOKEN_IDS_MAX entries, each kept until its token's not_after
 * at most: an entry per exported token (its link 0, holding a reference to
 * its source capability and the exporting handle's rights), per imported
 * token of two or more links whose import may revoke it (its last link,
 * exactly: id and signature; while a capability imported through it lives,
 * charged to the importer's quota), and these entries turn into revocation
 * entries. cap_token_init makes the root key at boot.
 * cap_token_import: a new capability derived from the exported token's source,
 *   granting the token's last link (one reference, the caller's); *rights_out
 *   gets the rights its handle may have (the exporting handle's). Errors:
 *   BAD_TOKEN, REVOKED, EXPIRED, LIMIT (no entry for an attenuated token:
 *   the table is full, imports hold half of it, or the caller's quota holds
 *   NC_SYS_TOKEN_IMPORTS_MAX or cannot take the charge; or the source is
 *   CAP_MAX_DEPTH deep), NO_MEMORY.
 * cap_token_export: mint a token for c, exported through a handle with
 *   rights, into buf. Errors: TOO_SMALL, REVOKED, EXPIRED, NO_MEMORY (no free
 *   entry: the table is full of unexpired tokens).
 * cap_token_revoked: called by cap_revoke after c's flag is set: the entry of
 *   every token exported from c or a descendant, and of c's own token if c
 *   was imported with one, becomes a revocation entry until the token
 *   expires.
 * cap_token_forget: c (imported, token_serial set) is being destroyed: its
 *   import entry is freed when no other import holds it (a revoked one
 *   stays). */
void cap_token_init(void);
nc_sys_err_t cap_token_import(const uint8_t *tok, size_t len, kcap_t **out, uint32_t *rights_out);
nc_sys_err_t cap_token_export(kcap_t *c, uint32_t rights, uint8_t *buf, size_t cap_bytes, size_t *len_out);
void cap_token_revoked(const kcap_t *c);
void cap_token_forget(const kcap_t *c);
/* The root handle table for init: the console and one root capability per
 * top-level action. NULL when out of memory. */
handle_table_t *cap_root_table(void);

#endif

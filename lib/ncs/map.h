/* ncScript maps (map.c): the operations on ncs_map_t (value.h). Internal to lib/ncs. */
#ifndef NCS_MAP_H
#define NCS_MAP_H

#include "value.h"

/* ---------- maps (map.c) ----------
 * Keys are Int, Bool, String, or tuples/arrays of keys; every other key is
 * refused by ncs_map_key_ok. Lookups report their work (*work += 1 per extra
 * probe, per key part hashed and per 32 string bytes hashed or compared) so the
 * callers can charge it as steps: a flood of colliding keys costs steps in
 * proportion to the probing it causes. Int keys are their own hash and a key's
 * first slot is its hash modulo (slots - 1); the other hashes have a fixed
 * seed. So work, and with it step counts, are deterministic. */
bool ncs_map_new(ncs_state_t *st, ncs_value_t *out);
/* Keys have at most this many parts (the key itself, and each tuple or array
 * element, a shared part counting each time it appears), which bounds the work
 * of checking, hashing and comparing a key even for values that share parts. */
#define NCS_MAP_KEY_PARTS_MAX 1024u
/* NC_NCS_OK when k may be a key; NC_NCS_ERR_TYPE with *bad the type name of
 * the offending part; NC_NCS_ERR_VALUE when k has more than
 * NCS_MAP_KEY_PARTS_MAX parts (found after visiting at most that many). */
nc_ncs_err_t ncs_map_key_check(ncs_value_t k, const char **bad);
/* Entry number of key in m, or UINT32_MAX. */
uint32_t ncs_map_find(const ncs_map_t *m, ncs_value_t key, uint64_t *work);
/* Set key to val (both references transferred) in the unique map m. When the
 * key was present *old receives its previous value (reference) and *had is
 * true. False after ncs_fail (NOMEM, LIMIT_ALLOC, VALUE_DEPTH): key and val
 * were released and m is unchanged. */
bool ncs_map_set(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t val, ncs_value_t *old, bool *had,
		 uint64_t *work);
/* Remove key from the unique map m; *had tells whether it was there, and then
 * *old receives its value (reference). Never allocates. */
void ncs_map_remove(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t *old, bool *had, uint64_t *work);
/* Next live entry at or after *pos (advanced past it); false at the end. */
bool ncs_map_next(const ncs_map_t *m, uint32_t *pos, ncs_value_t *key, ncs_value_t *val);
/* Drop every entry and the tables (no allocation). */
void ncs_map_clear(ncs_state_t *st, ncs_map_t *m);
void ncs_map_release(ncs_state_t *st, ncs_map_t *m);
/* A unique copy of m in *out (entries compacted, same order). */
bool ncs_map_copy(ncs_state_t *st, const ncs_map_t *m, ncs_value_t *out, uint64_t *work);
/* Same keys with equal values (order does not matter). */
bool ncs_map_equal(const ncs_map_t *a, const ncs_map_t *b, ncs_walk_t *w);

#endif

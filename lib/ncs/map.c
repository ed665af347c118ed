/* Map values: an insertion-ordered hash table (the layout is described at
 * ncs_map_t). Lookups hash the key (Ints are their own hash, other keys are
 * mixed with a fixed seed), start at the slot hash mod (slots - 1) and probe
 * the index linearly; the index is at most half full, so probing always ends at
 * an empty slot. Every probe step and every hashed part is reported as work for
 * the caller to charge. A removed entry leaves a GONE mark in the index and a hole (key ())
 * in the entries until the next rebuild, which happens when the entries run
 * out of room and compacts them (keeping their order) into a table sized for
 * twice the live entries. All memory is tracked script memory. */
#include "map.h"
#include <nc/mem.h>

#define GONE UINT32_MAX
/* An index slot: the entry number + 1 (0 empty, GONE removed) in the low 32
 * bits, the hash's high 32 bits above, so most probes that pass other keys
 * never touch their entries. */
#define SLOT_ENTRY(v) ((uint32_t)(v))
#define SLOT(h, e) ((h) >> 32 << 32 | (e))
#define SEED 0x6e63536372697074ull /* "ncScript": fixed, so runs are deterministic */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/* Walk k counting its parts (a part shared twice counts twice), stopping as
 * soon as there are too many, so the walk itself is bounded. */
static nc_ncs_err_t key_walk(ncs_value_t k, uint32_t *parts, const char **bad)
{
	if (++*parts > NCS_MAP_KEY_PARTS_MAX)
		return NC_NCS_ERR_VALUE;
	switch (k.tag) {
	case V_INT: case V_BOOL: case V_STR:
		return NC_NCS_OK;
	case V_ARR: case V_TUPLE: {
		const ncs_arr_t *a = (const ncs_arr_t *)k.u.o;
		for (uint32_t i = 0; i < a->len; i++) {
			nc_ncs_err_t e = key_walk(a->items[i], parts, bad);
			if (e != NC_NCS_OK)
				return e;
		}
		return NC_NCS_OK;
	}
	default:
		*bad = ncs_type_name(k);
		return NC_NCS_ERR_TYPE;
	}
}

nc_ncs_err_t ncs_map_key_check(ncs_value_t k, const char **bad)
{
	uint32_t parts = 0;
	*bad = NULL;
	return key_walk(k, &parts, bad);
}

/* The key's hash: Ints are their own hash (see home()), the other keys are
 * mixed with a fixed seed. *work += 1 per key part and 1 per 32 string bytes.
 * Keys are checked by ncs_map_key_check first, so the walk visits at most
 * NCS_MAP_KEY_PARTS_MAX parts, and their nesting is bounded by
 * NC_NCS_VALUE_DEPTH_MAX, so the recursion is too. */
static uint64_t hash(ncs_value_t k, uint64_t *work)
{
	uint64_t h;
	++*work;
	switch (k.tag) { /* the others start from their own constant mix(SEED ^ tag) */
	case V_INT: return (uint64_t)k.u.i;
	case V_BOOL: return mix(mix(SEED ^ V_BOOL) ^ (uint64_t)k.u.b);
	case V_STR: {
		const ncs_str_t *s = (const ncs_str_t *)k.u.o;
		h = mix(SEED ^ V_STR);
		uint32_t i = 0;
		*work += s->len_bytes / 32;
		for (; i + 8 <= s->len_bytes; i += 8) {
			uint64_t w;
			nc_mem_copy(&w, s->bytes + i, 8);
			h = mix(h ^ w);
		}
		uint64_t tail = s->len_bytes;
		for (uint32_t j = 0; i < s->len_bytes; i++, j++)
			tail ^= (uint64_t)(unsigned char)s->bytes[i] << (8 * j + 8);
		return mix(h ^ tail);
	}
	default: { /* V_ARR, V_TUPLE */
		const ncs_arr_t *a = (const ncs_arr_t *)k.u.o;
		h = mix(mix(SEED ^ k.tag) ^ a->len);
		for (uint32_t i = 0; i < a->len; i++)
			h = mix(h ^ hash(a->items[i], work));
		return h;
	}
	}
}

/* The first slot to look at: the hash modulo the odd number mask, so that
 * Int keys (their own hash) that are consecutive sit in consecutive slots
 * (cache-friendly, like Lua's tables), and multiples of a power of two still
 * spread over the table. */
static uint32_t home(uint64_t h, uint32_t mask) { return (uint32_t)(h % mask); }

/* key == k, with the common key types compared inline. */
static bool same_key(ncs_value_t k, ncs_value_t key)
{
	if (k.tag != key.tag)
		return false;
	if (k.tag == V_INT)
		return k.u.i == key.u.i;
	if (k.tag == V_STR) {
		const ncs_str_t *a = (const ncs_str_t *)k.u.o, *b = (const ncs_str_t *)key.u.o;
		return a == b || (a->len_bytes == b->len_bytes && nc_mem_compare(a->bytes, b->bytes, a->len_bytes) == 0);
	}
	return ncs_value_equal(k, key, NCS_WALK_ANY); /* keys have at most 1024 parts */
}

/* The hash of key, and in *cmp_cost the work of one full comparison with it:
 * its hashing work for a String, tuple or array, 0 for an Int or Bool. */
static uint64_t hash_key(ncs_value_t key, uint64_t *work, uint64_t *cmp_cost)
{
	uint64_t before = *work, h = hash(key, work);
	*cmp_cost = ncs_is_heap(key) ? *work - before : 0;
	return h;
}

/* Index slot holding key (its entry is idx - 1), or the empty slot where it
 * would go. *work counts each occupied slot passed and cmp_cost for every full
 * comparison (so colliding long keys cannot make comparisons cost more than
 * they are charged). */
static uint32_t probe(const ncs_map_t *m, ncs_value_t key, uint64_t h, uint64_t cmp_cost, uint64_t *work)
{
	for (uint32_t s = home(h, m->mask);; s = (s + 1) & m->mask) {
		uint64_t v = m->idx[s];
		uint32_t e = SLOT_ENTRY(v);
		if (e == 0)
			return s;
		if (e != GONE && (v ^ h) >> 32 == 0) {
			*work += cmp_cost;
			if (same_key(m->ent[2 * (e - 1)], key))
				return s;
		}
		++*work;
	}
}

bool ncs_map_new(ncs_state_t *st, ncs_value_t *out)
{
	ncs_map_t *m = ncs_mem_alloc_tracked(st, sizeof *m);
	if (!m)
		return false;
	nc_mem_set(m, 0, sizeof *m);
	m->h.rc = 1;
	m->h.kind = V_MAP;
	m->h.depth = 1;
	*out = ncs_obj_val(&m->h);
	return true;
}

static size_t idx_bytes(const ncs_map_t *m) { return m->cap ? (size_t)(m->mask + 1) * sizeof *m->idx : 0; }

/* Give m new tables with room for cap entries, filled with the live entries of
 * src[0..2 used) in order (the references move), then free m's old tables. src
 * may be m's own entries. *work counts the hashing. */
static bool rebuild(ncs_state_t *st, ncs_map_t *m, uint32_t cap, const ncs_value_t *src, uint32_t used,
		    uint64_t *work)
{
	uint32_t slots = 4;
	while (slots < 2 * cap)
		slots *= 2;
	ncs_value_t *ent = ncs_mem_alloc_tracked(st, (size_t)cap * 2 * sizeof *ent);
	if (!ent)
		return false;
	uint64_t *idx = ncs_mem_alloc_tracked(st, (size_t)slots * sizeof *idx);
	if (!idx) {
		ncs_mem_free_tracked(st, ent, (size_t)cap * 2 * sizeof *ent);
		return false;
	}
	nc_mem_set(idx, 0, (size_t)slots * sizeof *idx);
	uint32_t n = 0;
	for (uint32_t i = 0; i < used; i++) {
		if (src[2 * i].tag == V_UNIT)
			continue;
		ent[2 * n] = src[2 * i];
		ent[2 * n + 1] = src[2 * i + 1];
		uint64_t h = hash(ent[2 * n], work);
		uint32_t s = home(h, slots - 1);
		while (idx[s])
			s = (s + 1) & (slots - 1);
		idx[s] = SLOT(h, ++n);
	}
	ncs_mem_free_tracked(st, m->ent, (size_t)m->cap * 2 * sizeof *m->ent);
	ncs_mem_free_tracked(st, m->idx, idx_bytes(m));
	m->ent = ent;
	m->idx = idx;
	m->cap = cap;
	m->mask = slots - 1;
	m->used = n;
	m->len = n;
	return true;
}

uint32_t ncs_map_find(const ncs_map_t *m, ncs_value_t key, uint64_t *work)
{
	if (m->len == 0)
		return UINT32_MAX;
	uint64_t cmp_cost, h = hash_key(key, work, &cmp_cost);
	uint32_t s = probe(m, key, h, cmp_cost, work);
	return SLOT_ENTRY(m->idx[s]) ? SLOT_ENTRY(m->idx[s]) - 1 : UINT32_MAX;
}

bool ncs_map_set(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t val, ncs_value_t *old, bool *had,
		 uint64_t *work)
{
	*had = false;
	uint64_t cmp_cost, h = hash_key(key, work, &cmp_cost);
	if (m->cap) {
		uint32_t s = probe(m, key, h, cmp_cost, work);
		if (SLOT_ENTRY(m->idx[s])) {
			if (!ncs_note_child(st, &m->h, val)) {
				ncs_unref(st, key);
				ncs_unref(st, val);
				return false;
			}
			ncs_value_t *v = &m->ent[2 * (SLOT_ENTRY(m->idx[s]) - 1) + 1];
			*old = *v;
			*v = val;
			*had = true;
			ncs_unref(st, key);
			return true;
		}
	}
	uint16_t depth = m->h.depth;
	if (!ncs_note_child(st, &m->h, key) || !ncs_note_child(st, &m->h, val))
		goto fail;
	if (m->used == m->cap) {
		if (m->len > UINT32_MAX / 8) {
			ncs_fail(st, NC_NCS_ERR_LIMIT_ALLOC, UINT32_MAX, "map too large");
			goto fail;
		}
		*work += m->used;
		if (!rebuild(st, m, m->len < 4 ? 4 : 2 * m->len, m->ent, m->used, work))
			goto fail;
	}
	uint32_t s = home(h, m->mask);
	while (m->idx[s] != 0) /* a GONE slot is not reused: that entry still holds its place */
		s = (s + 1) & m->mask;
	m->ent[2 * m->used] = key;
	m->ent[2 * m->used + 1] = val;
	m->idx[s] = SLOT(h, ++m->used);
	m->len++;
	return true;
fail:
	m->h.depth = depth;
	ncs_unref(st, key);
	ncs_unref(st, val);
	return false;
}

void ncs_map_remove(ncs_state_t *st, ncs_map_t *m, ncs_value_t key, ncs_value_t *old, bool *had, uint64_t *work)
{
	*had = false;
	if (m->len == 0)
		return;
	uint64_t cmp_cost, h = hash_key(key, work, &cmp_cost);
	uint32_t s = probe(m, key, h, cmp_cost, work);
	if (!SLOT_ENTRY(m->idx[s]))
		return;
	ncs_value_t *e = &m->ent[2 * (SLOT_ENTRY(m->idx[s]) - 1)];
	ncs_unref(st, e[0]);
	*old = e[1];
	*had = true;
	e[0] = e[1] = ncs_unit();
	m->idx[s] = GONE;
	m->len--;
}

bool ncs_map_next(const ncs_map_t *m, uint32_t *pos, ncs_value_t *key, ncs_value_t *val)
{
	while (*pos < m->used) {
		const ncs_value_t *e = &m->ent[2 * (*pos)++];
		if (e[0].tag != V_UNIT) {
			*key = e[0];
			*val = e[1];
			return true;
		}
	}
	return false;
}

void ncs_map_clear(ncs_state_t *st, ncs_map_t *m)
{
	for (uint32_t i = 0; i < 2 * m->used; i++)
		ncs_unref(st, m->ent[i]);
	ncs_mem_free_tracked(st, m->ent, (size_t)m->cap * 2 * sizeof *m->ent);
	ncs_mem_free_tracked(st, m->idx, idx_bytes(m));
	m->ent = NULL;
	m->idx = NULL;
	m->len = m->used = m->cap = m->mask = 0;
	m->h.depth = 1;
}

void ncs_map_release(ncs_state_t *st, ncs_map_t *m)
{
	ncs_map_clear(st, m);
	ncs_mem_free_tracked(st, m, sizeof *m);
}

bool ncs_map_copy(ncs_state_t *st, const ncs_map_t *m, ncs_value_t *out, uint64_t *work)
{
	if (!ncs_map_new(st, out))
		return false;
	ncs_map_t *c = (ncs_map_t *)out->u.o;
	c->h.depth = m->h.depth;
	if (m->len == 0)
		return true;
	if (!rebuild(st, c, m->len < 4 ? 4 : m->len + m->len / 2, m->ent, m->used, work)) {
		ncs_unref(st, *out);
		return false;
	}
	for (uint32_t i = 0; i < 2 * c->used; i++)
		ncs_ref(c->ent[i]);
	return true;
}

bool ncs_map_equal(const ncs_map_t *a, const ncs_map_t *b, ncs_walk_t *w)
{
	if (a->len != b->len)
		return false;
	uint64_t work = 0;
	ncs_value_t k, v;
	for (uint32_t pos = 0; ncs_map_next(a, &pos, &k, &v);) {
		uint32_t e = ncs_map_find(b, k, &work);
		if (e == UINT32_MAX || !ncs_value_equal(v, b->ent[2 * e + 1], w))
			return false;
	}
	return true;
}

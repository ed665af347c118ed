/* libFuzzer target for lib/scope: the input is split at its first 0xff byte
 * into a scope and a path. nc_scope_covers (right-to-left walk, no buffer) must
 * agree with a left-to-right check built on nc_scope_normalize, and
 * nc_scope_normalize's output must be a fixed point of itself. */
#include <nc/mem.h>
#include <nc/scope.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char ns[NC_SCOPE_MAX_BYTES + 1], np[NC_SCOPE_MAX_BYTES + 1], again[NC_SCOPE_MAX_BYTES + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut = 0;
	while (cut < size && data[cut] != 0xff)
		cut++;
	const char *s = (const char *)data, *p = (const char *)data + (cut < size ? cut + 1 : size);
	size_t sl = cut, pl = cut < size ? size - cut - 1 : 0, a, b, c;
	bool ok_s = nc_scope_normalize(s, sl, ns, sizeof ns, &a) == NC_SCOPE_OK;
	bool ok_p = nc_scope_normalize(p, pl, np, sizeof np, &b) == NC_SCOPE_OK;
	bool want = ok_s && ok_p &&
		    (a == 1 || (b >= a && nc_mem_compare(ns, np, a) == 0 && (b == a || np[a] == '/')));
	if (nc_scope_covers(s, sl, p, pl) != want)
		__builtin_trap();
	if (ok_s && (nc_scope_normalize(ns, a, again, sizeof again, &c) != NC_SCOPE_OK || c != a ||
		     nc_mem_compare(ns, again, a) != 0))
		__builtin_trap();
	nc_scope_matches(s, sl, p, pl);
	return 0;
}

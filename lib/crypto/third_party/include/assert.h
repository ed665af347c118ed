/* Freestanding stand-in for <assert.h> for third-party sources: their asserts
 * check internal invariants only, and like a release build (NDEBUG) we drop them. */
#undef assert
#define assert(x) ((void)0)

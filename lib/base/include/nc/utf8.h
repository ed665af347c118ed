/* UTF-8 (RFC 3629): decoding with replacement and encoding. Pure, reentrant. */
#ifndef NC_UTF8_H
#define NC_UTF8_H

#include <stddef.h>
#include <stdint.h>

enum { NC_UTF8_MAX_BYTES = 4, NC_UTF8_REPLACEMENT = 0xfffd };

/* Decode the sequence at s[*i..len) (*i < len): its code point, *i moved past
 * it. Shortest forms only, no surrogates, at most U+10FFFF: anything else
 * (and a sequence cut short) gives U+FFFD and moves by one byte. */
uint32_t nc_utf8_next(const char *s, size_t len, size_t *i);

/* Encode cp into out (1..4 bytes; a surrogate or a value past U+10FFFF is
 * encoded as U+FFFD); returns the length. */
size_t nc_utf8_encode(uint32_t cp, char out[NC_UTF8_MAX_BYTES]);

#endif

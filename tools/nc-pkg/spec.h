/* The manifest source format nc-pkg signs from: one directive per line,
 * '#' starts a comment, words separated by blanks:
 *   name NAME            version N           vendor 0xVVVV      device 0xDDDD
 *   class 0xCCSSPP       bar I (repeatable)  irq-vectors N      dma-budget BYTES
 *   offer ACTION SCOPE (repeatable)
 * Numbers are decimal or 0x-hex. Every directive but bar and offer at most
 * once; name is required. */
#ifndef NC_PKG_SPEC_H
#define NC_PKG_SPEC_H

#include <nc/drvpkg.h>
#include <stddef.h>

/* Parse text[0..len) into *m (image_hash left zero). On failure false, with
 * the 1-based line number in *bad_line and a static reason in *why. */
bool spec_parse(const char *text, size_t len, nc_drvpkg_manifest_t *m, size_t *bad_line, const char **why);

#endif

/* nc-tee's inputs and outputs: values given as hex on the command line, as
 * "@FILE" (the file's raw bytes), or "-" for hex on standard input. */
#ifndef NC_TEE_TOOL_IO_H
#define NC_TEE_TOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode hex (surrounding whitespace ignored; inner whitespace and newlines
 * allowed between byte pairs) into out[0..cap). False if not hex or too long. */
bool io_unhex(const char *text, size_t text_len, uint8_t *out, size_t cap, size_t *len);
/* A value: "-" reads hex from stdin; "@PATH" reads the file's raw bytes;
 * anything else is hex. False (with a message on stderr naming what) if it
 * cannot be read or decoded, or is longer than cap. */
bool io_value(const char *what, const char *arg, uint8_t *out, size_t cap, size_t *len);
/* As io_value, and exactly want bytes. */
bool io_fixed(const char *what, const char *arg, uint8_t *out, size_t want);
/* Read the whole file path raw into out[0..cap). */
bool io_read_file(const char *path, uint8_t *out, size_t cap, size_t *len);
/* Write bytes to path ("-": stdout as hex and a newline). */
bool io_write(const char *path, const uint8_t *p, size_t n);
void io_print_hex(const uint8_t *p, size_t n);

#endif

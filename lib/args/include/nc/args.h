/* Splitting a command line into words, the way the NexaCore shell and every
 * program that receives a one-string argument (ProcessSpawn passes one) do it:
 * blanks (space, tab) separate words; '...' is literal; "..." allows \" and
 * \\; a backslash outside quotes escapes the next byte.
 * Pure, reentrant, no allocation. */
#ifndef NC_ARGS_H
#define NC_ARGS_H

#include <stddef.h>

typedef enum {
	NC_ARGS_OK = 0,
	NC_ARGS_ERR_QUOTE,      /* unterminated quote */
	NC_ARGS_ERR_TOO_MANY,   /* more than max_args words */
	NC_ARGS_ERR_NO_ROOM,    /* the words do not fit in buf */
} nc_args_err_t;

/* Split line[0..len_bytes) into words copied to buf[0..cap_bytes), each
 * NUL-terminated; argv[0..*argc) point into buf and argv[*argc] = NULL, so argv
 * needs max_args + 1 slots. line need not be NUL-terminated (a NUL ends it). */
nc_args_err_t nc_args_split(const char *line, size_t len_bytes, char *buf, size_t cap_bytes,
			    char **argv, int max_args, int *argc);

const char *nc_args_err_name(nc_args_err_t err);

#endif

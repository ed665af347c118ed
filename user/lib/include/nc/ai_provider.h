/* The AI provider protocol (user/lib/ai_provider.c; docs/ai-service.md,
 * "The provider router"): how the AI service's router talks to a provider
 * process over one channel (each endpoint has both directions). Every message
 * starts with an nc_aiprov_hdr_t; a request and its answer share a sequence
 * number, so the router can drop answers that come after it gave up.
 *
 *   router -> provider   REQUEST {total_len, out_max}, then DATA pieces
 *                        holding total_len bytes: the request exactly as the
 *                        service received it (nc_sys_ai_payload_t, model id,
 *                        input, stop strings)
 *   provider -> router   TEXT pieces (the generated text, at most out_max
 *                        bytes in all, UTF-8), then END {status}: NC_SYS_OK,
 *                        or any error (the router then tries another provider)
 *
 * Pieces carry at most NC_AIPROV_PIECE_MAX bytes. Anything else from a
 * provider (an unknown type, a TEXT too long, END before the text is UTF-8)
 * is a protocol failure, counted against the provider like an error. */
#ifndef NC_AI_PROVIDER_H
#define NC_AI_PROVIDER_H

#include <stddef.h>
#include <stdint.h>
#include <nc/syscalls.h>

enum {
	NC_AIPROV_REQUEST = 1,
	NC_AIPROV_DATA = 2,
	NC_AIPROV_TEXT = 3,
	NC_AIPROV_END = 4,
};

typedef struct {
	uint32_t type;  /* NC_AIPROV_* */
	uint32_t seq;   /* the request's sequence number */
} nc_aiprov_hdr_t;

typedef struct {
	nc_aiprov_hdr_t h;
	uint32_t total_len;  /* request bytes in the DATA pieces that follow */
	uint32_t out_max;    /* most TEXT bytes the router takes */
} nc_aiprov_request_t;

typedef struct {
	nc_aiprov_hdr_t h;
	uint32_t status;     /* nc_sys_err_t */
	uint32_t reserved;
} nc_aiprov_end_t;

enum { NC_AIPROV_PIECE_MAX = NC_SYS_IPC_MSG_MAX_BYTES - sizeof(nc_aiprov_hdr_t) };

/* Send len bytes as pieces of type (DATA or TEXT) with sequence number seq,
 * each IpcSend waiting until deadline_ns (kernel clock; 0: no limit).
 * Errors: those of IpcSend (TIMED_OUT at the deadline). */
nc_sys_err_t nc_aiprov_send_pieces(uint64_t chan, uint32_t type, uint32_t seq, const void *bytes, size_t len,
                                   uint64_t deadline_ns);

#endif

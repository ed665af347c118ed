/* Tokenization at the boundary where a process's data leaves it for a model
 * (docs/privacy.md, "Where it is applied"). The logic is lib/privacy's
 * (nc/privacy.h); this is the kernel's bookkeeping around it:
 *
 * - A policy (kpolicy_t) is immutable and shared by reference: a child gets
 *   its spawner's (ProcessSpawn, or ProcessSpawnSpec without a policy) or
 *   the one ProcessSpawnSpec gives, which must cover the spawner's unless
 *   the spawner holds privacy.raw (nc_privacy_policy_for_child). NULL is
 *   the default policy (every kind typed).
 * - A session (kpsess_t) per process, opened by its first model call: a
 *   fresh 32-byte key from the kernel's random pool and a token table arena
 *   of KPRIVACY_ARENA_BYTES, charged to the process's quota as an object.
 *   The key and table are wiped when the process ends (its last thread);
 *   the struct is freed, and the charge given back, when the last stream
 *   still relaying for it (kprivacy_relay_open) ends too.
 * - A caller holding privacy.raw on the model id sends its data as it is.
 *
 * Every function must be called with interrupts on and no spinlock held:
 * one thread at a time maps text with a session, others yield until it is
 * done (interrupts stay on while a long input is tokenized). */
#ifndef KERNEL_PRIVACY_H
#define KERNEL_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/abi.h>

struct process;
typedef struct kpolicy kpolicy_t;
typedef struct kpsess kpsess_t;

enum { KPRIVACY_ARENA_BYTES = 64 * 1024 };

/* The policy for a child of the current process, from the user bytes
 * spec[0..len) (len 0: the caller's own, shared). *out gets a reference
 * (NULL for the default policy). Errors: INVALID (len above
 * NC_PRIVACY_POLICY_MAX_BYTES, not a valid policy encoding, a policy the
 * tokenizer refuses), BAD_ADDRESS, POLICY (weaker than the caller's, and
 * the caller does not hold privacy.raw), LIMIT, NO_MEMORY. */
nc_sys_err_t kpolicy_for_child(uint64_t spec, uint64_t len, kpolicy_t **out);
/* Another reference to p (NULL stays NULL), and drop one. */
kpolicy_t *kpolicy_get(kpolicy_t *p);
void kpolicy_put(kpolicy_t *p);

/* The current process ended: wipe its session's key and table. */
void kprivacy_process_ended(struct process *p);

/* The current process's session for a call on model[0..model_len): *out
 * gets a reference (kpsess_put it), or NULL when the caller holds
 * privacy.raw on the model id (its data passes as it is). Errors: LIMIT
 * (the quota cannot hold the session), NO_MEMORY, INVALID (the process is
 * ending). */
nc_sys_err_t kpsess_for_call(const char *model, size_t model_len, kpsess_t **out);
/* p's session whatever capabilities it holds (kpsess_for_call without the
 * privacy.raw check; in-kernel tests use it directly). Errors: LIMIT,
 * NO_MEMORY, INVALID. */
nc_sys_err_t kpsess_of(struct process *p, kpsess_t **out);
void kpsess_put(kpsess_t *s);

/* Tokenize in[0..len) into out[0..cap). Errors: LIMIT (the token table is
 * full, or out is too small: nothing is sent then, never raw data),
 * INVALID (the session was wiped). */
nc_sys_err_t kpsess_out(kpsess_t *s, const char *in, size_t len, char *out, size_t cap, size_t *out_len);
/* Map the session's tokens in in[0..len) back into out[0..cap) (cap at least
 * NC_PRIVACY_IN_GROWTH * len). final false: a stream's piece, whose last
 * bytes may be the start of a token; *consumed says how much of in was
 * mapped (the rest comes again with the next piece). */
nc_sys_err_t kpsess_in(kpsess_t *s, const char *in, size_t len, bool final, char *out, size_t cap,
		       size_t *out_len, size_t *consumed);

/* A stream relayed through session s (AiStream of a tokenized call): a new
 * channel endpoint *svc_end for the service; the AI_MSG_TOKEN messages
 * sent on it reach the caller's endpoint target with s's tokens mapped back
 * (a token split over messages is held until it is whole), AI_MSG_END after
 * what was held. Takes a reference on s and on target (the caller keeps
 * its own). Errors: those of channel_create, NO_MEMORY. */
struct kobj;
nc_sys_err_t kprivacy_relay_open(kpsess_t *s, struct kobj *target, struct kobj **svc_end);

#endif

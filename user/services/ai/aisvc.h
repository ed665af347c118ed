/* The AI service (docs/ai-service.md): a user process that serves the Ai*
 * calls the kernel forwards to it (SERVICE_AI). Its parts:
 *
 *   main.c     start-up, the receive loop: check each request, answer what
 *              needs no model (AiModelList, errors), admit the rest as jobs
 *   store.c    the model store: ids from /models and /disk/models, weights loaded once and
 *              shared, a memory budget for weights (least recently used
 *              models are unloaded to make room)
 *   sched.c    the jobs: admission limits, a fair queue across calling
 *              processes, the worker threads (one per CPU), memory for KV
 *              caches
 *   job.c      running a job: generation in slices of a few tokens (streams
 *              send each token), embeddings, classification, transcription
 *   router.c   the provider router: models the store does not hold go to
 *              provider processes (tiers 1-3) with timeouts, retries on
 *              another provider and circuit breakers; the engine in this
 *              process is tier 0
 *
 * Threads: the receiver (main) and the workers share the scheduler's lock
 * (sched.c) and the store's lock (store.c); a job belongs to one worker at a
 * time. Every allocation comes from nc_malloc and is bounded by the limits
 * below, so hostile callers get LIMIT, never an exhausted service. */
#ifndef AISVC_H
#define AISVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/ai.h>
#include <nc/ai_asr.h>
#include <nc/ai_client.h>
#include <nc/ulib.h>

enum {
	AISVC_MODELS_MAX = 32,                        /* models in the store */
	AISVC_STORE_DIRS_MAX = 4,                     /* directories of the store */
	AISVC_WORKERS_MAX = 8,
	AISVC_JOBS_MAX = 64,                          /* jobs admitted at once (queued or running) */
	AISVC_JOBS_PER_PID = 8,                       /* ... per calling process */
	AISVC_SLICE_TOKENS = 8,                       /* tokens per turn before another job's */
	AISVC_CTX_MAX = 2048,                         /* positions of one context at most */
	AISVC_STOPS_MAX = 8,                          /* stop strings per request */
	AISVC_STALL_NS = 5ull * 1000 * 1000 * 1000,  /* a stream whose channel stays full this long ends */
	AISVC_PARK_NS = 2 * 1000 * 1000,             /* how often parked streams are retried */
	AISVC_BATCH_NS = 16 * 1000 * 1000,           /* a streamed token waits for the next ones at most this long */
};

/* Memory budgets (bytes): loaded weights, and KV caches plus scratch of the
 * contexts of running jobs. A request that can never fit gets LIMIT; one that
 * fits once others finish waits its turn. */
#define AISVC_WEIGHTS_BUDGET (96ull << 20)
#define AISVC_CTX_BUDGET (48ull << 20)

/* ---- the engine's environment (main.c) ---- */

/* The kernels contexts use (ai-service --portable: NC_AI_SIMD_PORTABLE). */
extern nc_ai_simd_t aisvc_simd;

/* Memory for the engine: nc_ai_user_alloc (nc/ai_client.h). */

/* ---- the model store (store.c) ---- */

typedef struct aisvc_model aisvc_model_t;

/* Add a directory to the store (path[0..len), absolute, e.g. "/disk/models");
 * false when there are AISVC_STORE_DIRS_MAX already or the path is too long. */
bool aisvc_store_add_dir(const char *path, size_t len);
/* List the store's directories that changed since their last listing (or are
 * new: /disk/models appears when fsd serves /disk): every NAME.gguf is a model
 * with id NAME, the first directory's if two hold one. Models are only added.
 * Returns the number of models. The receiver's only (it calls the other store
 * functions too). */
size_t aisvc_store_refresh(void);
/* The model with this id, or NULL. Valid for the process's life. */
aisvc_model_t *aisvc_store_find(const char *id, size_t id_len);
/* Describe up to max models into out (nc_sys_ai_model_t); returns the count. */
size_t aisvc_store_list(nc_sys_ai_model_t *out, size_t max);
/* Load m's weights if needed (unloading unused models to stay within the
 * budget) and take a reference. Errors: NOT_FOUND (the file went away),
 * INVALID (not a model the engine opens), LIMIT (cannot fit the budget),
 * NO_MEMORY. */
nc_sys_err_t aisvc_store_acquire(aisvc_model_t *m);
void aisvc_store_release(aisvc_model_t *m);
/* While acquired: the opened text model (NULL for a speech model) and the
 * speech model (NULL for a text model). */
nc_ai_model_t *aisvc_model_text(aisvc_model_t *m);
nc_ai_asr_t *aisvc_model_speech(aisvc_model_t *m);
/* What the file is (before loading: from its header): NC_SYS_AI_KIND_*. */
uint64_t aisvc_model_kind(const aisvc_model_t *m);

/* ---- jobs (sched.c, job.c) ---- */

typedef struct aisvc_job aisvc_job_t;

/* A request as admitted: the header fields, then the payload (copied). */
struct aisvc_job {
	aisvc_job_t *next;              /* scheduler list */
	uint64_t id, op, pid, arg0, out_max;
	uint64_t session;               /* streams: the session id answered */
	uint64_t chan;                  /* streams: the channel handle (closed at the end) */
	nc_sys_ai_payload_t p;
	const char *model_id, *input, *extra;  /* into data */
	aisvc_model_t *model;           /* NULL: served by a provider (router.c) */
	volatile bool cancelled;        /* the caller went away (SERVICE_OP_CANCEL) */
	bool started, parked;
	uint64_t parked_since_ns;       /* when its current wait began */
	uint64_t retry_at_ns;           /* a parked job runs again from then */
	/* generation (job.c) */
	nc_ai_ctx_t *ctx;
	size_t ctx_bytes;               /* charged to AISVC_CTX_BUDGET */
	nc_ai_gen_params_t gp;
	nc_ai_gen_t gen;
	nc_ai_stop_t stop_why;          /* why gen stopped (gen.stopped) */
	const char *stops[AISVC_STOPS_MAX];
	size_t n_tokens;
	uint8_t *out;                   /* AiInvoke: the text so far (out_max bytes) */
	size_t out_len;
	uint8_t batch[NC_SYS_IPC_MSG_MAX_BYTES];   /* streams: the tokens not sent yet, as a message */
	size_t batch_len;
	uint64_t batch_since_ns;        /* when its first token was made */
	uint64_t token_ns;              /* when the last token was made */
	uint8_t pending[NC_SYS_IPC_MSG_MAX_BYTES]; /* a stream message the channel had no room for */
	size_t pending_len;
	bool ending;                    /* pending holds the end message */
	uint8_t data[];
};

/* The engine's thread pool for the jobs: its slots are the workers
 * (sched.c; nc/ai_pool.h). Set up by aisvc_sched_start. */
extern nc_ai_pool_t aisvc_pool;

/* Start n_workers worker threads (at most AISVC_WORKERS_MAX) and the pool
 * they lend themselves to. false when none could start. */
bool aisvc_sched_start(size_t n_workers, uint64_t port);
/* Admit job j (its model resolved). Errors: LIMIT (too many jobs for the
 * process or in all). On OK the scheduler owns j. */
nc_sys_err_t aisvc_sched_admit(aisvc_job_t *j);
/* The caller of request id went away: its job ends without an answer. */
void aisvc_sched_cancel(uint64_t id);
/* Memory for a context of bytes: false when it cannot fit now; *never when
 * it could not fit even alone. */
bool aisvc_ctx_charge(size_t bytes, bool *never);
void aisvc_ctx_uncharge(size_t bytes);

typedef enum { AISVC_RUN_DONE, AISVC_RUN_AGAIN, AISVC_RUN_PARKED } aisvc_run_t;
/* Run one turn of j on the calling worker (job.c). DONE: j was answered (or
 * its caller is gone) and its resources released; free it. AGAIN: more to do,
 * queue it behind the others. PARKED: its stream channel is full. */
aisvc_run_t aisvc_job_run(aisvc_job_t *j, uint64_t port);
/* Release what j holds without answering (the service is ending it). */
void aisvc_job_drop(aisvc_job_t *j);

/* ---- the provider router (router.c) ---- */

/* Add the provider of a --provider TIER:NAME:MODEL:TIMEOUT_MS:PROGRAM
 * argument (tier 1..3; it is started when first needed). false: malformed,
 * or too many providers. */
bool aisvc_router_add(const char *spec, size_t len);
/* May op on a model the store does not hold go to a provider? OK; NOT_FOUND
 * (no provider serves the model, or op is not AiInvoke/AiInvokeParams);
 * DENIED (only tier 3 serves it and flags lack AI_FLAG_CLOUD). */
nc_sys_err_t aisvc_router_serves(const char *model, size_t len, uint64_t op, uint64_t flags);
/* Run j (a job without a store model) on its providers and answer it. */
aisvc_run_t aisvc_router_run(aisvc_job_t *j, uint64_t port);

/* ---- checks on request bytes (main.c) ---- */

/* Is s[0..n) valid UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF)? */
bool aisvc_utf8_valid(const char *s, size_t n);

#endif

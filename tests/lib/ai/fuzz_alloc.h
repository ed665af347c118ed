/* The allocator the lib/ai fuzz targets hand the engine: libc's aligned_alloc,
 * refusing blocks over 256 MiB so a fuzzer stays inside its memory limit (the
 * refusal is an ordinary NOMEM for the engine). */
#ifndef NC_AI_FUZZ_ALLOC_H
#define NC_AI_FUZZ_ALLOC_H

#include <nc/ai_env.h>

extern const nc_ai_alloc_t ai_fuzz_alloc;

#endif

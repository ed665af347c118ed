/* Helpers shared by the AVX2 kernel files (kern_avx2.c, kquant_avx2.c): the
 * target attributes and small inline functions. Functions marked TARGET are
 * always inlined into TARGET_FN callers, so the rest of the library keeps the
 * baseline ISA; ai_cpu_has_avx2() gates their use.
 * The freestanding build has no stdlib.h, which GCC's mm_malloc.h (pulled in
 * by immintrin.h) includes: its include guard is defined first to skip it. */
#ifndef NC_AI_AVX2_INT_H
#define NC_AI_AVX2_INT_H

#define _MM_MALLOC_H_INCLUDED 1
#include <immintrin.h>

#include "ai_int.h"

#define TARGET __attribute__((target("avx2,fma,f16c"), always_inline)) static inline
#define TARGET_FN __attribute__((target("avx2,fma,f16c"))) static
#define TARGET_EXPORT __attribute__((target("avx2,fma,f16c")))

TARGET float hsum(__m256 v)
{
	__m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	s = _mm_add_ps(s, _mm_movehl_ps(s, s));
	s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
	return _mm_cvtss_f32(s);
}

TARGET float scale_f16(const uint8_t *p)
{
	uint16_t h;
	__builtin_memcpy(&h, p, 2);  /* one unaligned 16-bit load (little-endian) */
	return _cvtsh_ss(h);
}

TARGET __m256i load32(const void *p)
{
	return _mm256_loadu_si256((const __m256i *)p);
}

#endif

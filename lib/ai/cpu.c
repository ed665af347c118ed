/* CPU feature detection for the run-time kernel choice (Intel SDM Vol. 2A,
 * CPUID leaves 01H and 07H; Vol. 1 13.2 for XGETBV: the OS must have enabled
 * the SSE and AVX state components, and for AVX-512 the opmask and ZMM ones,
 * before such code may run). Our own CPUID
 * wrapper, so the freestanding build needs no compiler support header. */
#include "ai_int.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

#define CPUID1_ECX_FMA     (1u << 12)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX     (1u << 28)
#define CPUID1_ECX_F16C    (1u << 29)
#define CPUID7_EBX_AVX2    (1u << 5)
#define CPUID7_EBX_AVX512F (1u << 16)
#define CPUID7_EBX_AVX512BW (1u << 30)
#define CPUID7_EBX_AVX512VL (1u << 31)
#define XCR0_SSE_AVX       0x6u
#define XCR0_AVX512        0xe0u  /* opmask, upper halves of ZMM0-15, ZMM16-31 */

bool ai_cpu_has_avx2(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpuid(1, 0, r);
	uint32_t need = CPUID1_ECX_FMA | CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX | CPUID1_ECX_F16C;
	if ((r[2] & need) != need)
		return false;
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & XCR0_SSE_AVX) != XCR0_SSE_AVX)
		return false;
	cpuid(7, 0, r);
	return (r[1] & CPUID7_EBX_AVX2) != 0;
}

bool ai_cpu_has_avx512(void)
{
	if (!ai_cpu_has_avx2())
		return false;
	uint32_t r[4], lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & XCR0_AVX512) != XCR0_AVX512)
		return false;
	cpuid(7, 0, r);
	uint32_t need = CPUID7_EBX_AVX512F | CPUID7_EBX_AVX512BW | CPUID7_EBX_AVX512VL;
	return (r[1] & need) == need;
}

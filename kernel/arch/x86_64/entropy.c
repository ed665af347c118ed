/* Hardware entropy (Intel SDM Vol. 1 7.3.17: RDRAND and RDSEED set CF on
 * success; CPUID.07H:EBX bit 18 RDSEED, CPUID.01H:ECX bit 30 RDRAND). A
 * bounded number of retries, as the SDM recommends for transient underflow. */
#include <kernel/random.h>
#include <arch/cpu.h>

enum { RETRIES = 64 };

static bool try_rdseed(uint64_t *v)
{
	uint8_t ok;
	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

static bool try_rdrand(uint64_t *v)
{
	uint8_t ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

bool arch_entropy64(uint64_t *out)
{
	uint32_t r[4];
	cpu_cpuid(0, 0, r);
	bool has_seed = false;
	if (r[0] >= 7) {
		cpu_cpuid(7, 0, r);
		has_seed = r[1] >> 18 & 1;
	}
	cpu_cpuid(1, 0, r);
	bool has_rand = r[2] >> 30 & 1;
	for (int i = 0; i < RETRIES; i++) {
		if (has_seed && try_rdseed(out))
			return true;
		if (has_rand && try_rdrand(out))
			return true;
	}
	return false;
}

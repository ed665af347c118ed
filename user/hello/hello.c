/* hello: the plain image's demonstration program. */
#include <nc/ulib.h>

int main(const char *arg, size_t arg_len)
{
	uint64_t cpus = 0;
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &cpus);
	nc_print("hello from user space (%llu CPUs)\n", (unsigned long long)cpus);
	return 0;
}

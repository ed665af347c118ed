/* CPU time for the host benchmarks (cpu_time.h). */
#define _POSIX_C_SOURCE 200809L
#include "cpu_time.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

double bench_cpu_self(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_cpu_children(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Run-queue wait in seconds from a schedstat file ("run wait slices"); -1 if unreadable. */
static double schedstat_wait(const char *path)
{
	unsigned long long run, waited;
	FILE *f = fopen(path, "r");
	bool ok = f && fscanf(f, "%llu %llu", &run, &waited) == 2;
	if (f)
		fclose(f);
	return ok ? (double)waited * 1e-9 : -1;
}

double bench_cpu_wait_self(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	double wait = 0;
	for (struct dirent *e; wait >= 0 && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[sizeof e->d_name + 32];
		snprintf(path, sizeof path, "/proc/self/task/%s/schedstat", e->d_name);
		double w = schedstat_wait(path);
		wait = w < 0 ? -1 : wait + w;
	}
	closedir(d);
	return wait;
}

double bench_cpu_wait_thread(void)
{
	return schedstat_wait("/proc/thread-self/schedstat");
}

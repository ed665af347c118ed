/* CPU time for the host benchmarks: the machine is shared, so wall time would measure the
 * neighbours. Seconds of user plus system time. */
#ifndef NC_BENCH_CPU_TIME_H
#define NC_BENCH_CPU_TIME_H

double bench_cpu_self(void);     /* this process so far */
double bench_cpu_children(void); /* its waited-for children so far */

#endif

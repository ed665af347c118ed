/* CPU time for the host benchmarks: the machine is shared, so wall time would measure the
 * neighbours. Seconds of user plus system time. */
#ifndef NC_BENCH_CPU_TIME_H
#define NC_BENCH_CPU_TIME_H

double bench_cpu_self(void);     /* this process so far */
double bench_cpu_children(void); /* its waited-for children so far */

/* Seconds this process's threads have so far spent runnable but waiting for a
 * CPU (the run-queue wait of /proc/self/task/N/schedstat, summed over the
 * threads): the time the machine's other programs took from it. Negative
 * when the kernel does not report it. */
double bench_cpu_wait_self(void);

/* The same for the calling thread alone (/proc/thread-self/schedstat). */
double bench_cpu_wait_thread(void);

#endif

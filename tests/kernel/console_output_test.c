/* Console output keeps interrupts on (issue 24 item 3): a long write that
 * scrolls the framebuffer console many times must not hold interrupts off
 * on its CPU for the whole write, or every TLB shootdown meanwhile waits
 * for it. A kernel thread on another CPU writes LINES lines; this CPU does
 * kernel-unmap shootdowns (kstack_alloc/kstack_free) all the while: some of
 * them must complete while the write is still going on. */
#include "nc_test.h"
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/kstack.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <nc/fmt.h>

enum { LINES = 48, LINE_MAX = 80 };

static char text[LINES * LINE_MAX];
static size_t text_len;
static volatile int writing; /* 0 not yet, 1 in console_write, 2 done */
static volatile uint32_t writer_cpu;

static void writer(void *arg)
{
	(void)arg;
	writer_cpu = cpu_this()->index;
	writing = 1;
	console_write(text, text_len);
	writing = 2;
	thread_exit(0);
}

NC_TEST(console, long_write_lets_other_cpus_shoot_down)
{
	text_len = 0;
	for (int i = 0; i < LINES; i++)
		text_len += nc_fmt_format(text + text_len, sizeof text - text_len,
					  "console_test: line %d of %d, scrolling the screen\n", i + 1, LINES);
	writing = 0;
	thread_t *t = thread_create_kernel(writer, NULL);
	NC_CHECK(t != NULL);
	sched_enqueue(t);
	while (!writing)
		cpu_pause();
	uint64_t rounds = 0, worst_ns = 0, start = clock_now_ns();
	while (writing == 1) {
		uint64_t t0 = clock_now_ns();
		uint64_t top = kstack_alloc();
		if (top)
			kstack_free(top); /* waits for every other CPU to answer */
		uint64_t d = clock_now_ns() - t0;
		worst_ns = d > worst_ns ? d : worst_ns;
		rounds += writing == 1;
	}
	uint64_t write_ns = clock_now_ns() - start;
	while (t->state != THREAD_DEAD)
		sched_yield();
	thread_destroy(t);
	nc_test_note("console: %d lines in %llu us; %llu shootdowns finished during the write, the slowest %llu us",
		     LINES, (unsigned long long)(write_ns / 1000), (unsigned long long)rounds,
		     (unsigned long long)(worst_ns / 1000));
	NC_CHECK(writer_cpu != cpu_this()->index);
	NC_CHECK(rounds >= 2);
}

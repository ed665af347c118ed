/* Console input end to end inside the kernel: with the UART in loopback
 * mode, bytes the kernel transmits come back through the COM1 receive
 * interrupt (IOAPIC-routed) into the ring that FdRead serves. Nothing may
 * print while loopback is on: the bytes would be swallowed. */
#include "nc_test.h"
#include <kernel/clock.h>
#include <kernel/arch.h>
#include <kernel/console_input.h>
#include <nc/mem.h>
#include <arch/cpu.h>

enum { WAIT_NS = 500 * 1000 * 1000 };

/* Poll the ring (no blocking: the in-kernel tests run on an idle thread)
 * until want bytes have arrived or WAIT_NS passes. */
static size_t collect(uint8_t *buf, size_t want)
{
	size_t got = 0;
	uint64_t end = clock_now_ns() + WAIT_NS;
	while (got < want && clock_now_ns() < end) {
		size_t n = 0;
		if (console_input_read(buf + got, want - got, 0, &n) == NC_SYS_OK)
			got += n;
		else
			cpu_pause();
	}
	return got;
}

NC_TEST(console_input, loopback_bytes_arrive_through_the_interrupt)
{
	static const uint8_t sent[] = { 'n', 'c', 0x03, '\r', 0xff };
	uint8_t drain[64], got[sizeof sent + 1];
	size_t n;
	while (console_input_read(drain, sizeof drain, 0, &n) == NC_SYS_OK)
		;
	NC_CHECK(cpu_read_flags() & RFLAGS_IF);
	arch_serial_loopback(true);
	arch_serial_write((const char *)sent, sizeof sent);
	size_t k = collect(got, sizeof sent);
	arch_serial_loopback(false);
	NC_CHECK_EQ(k, sizeof sent);
	NC_CHECK(nc_mem_compare(got, sent, sizeof sent) == 0);
	/* nothing more is queued: a poll times out at once */
	NC_CHECK_EQ(console_input_read(got, sizeof got, 0, &n), NC_SYS_ERR_TIMED_OUT);
}

NC_TEST(console_input, ring_keeps_order_and_drops_when_full)
{
	uint8_t b[CONSOLE_INPUT_BYTES];
	size_t n;
	uint64_t dropped = console_input_dropped();
	for (unsigned i = 0; i < CONSOLE_INPUT_BYTES + 10; i++)
		console_input_push((uint8_t)i);
	NC_CHECK_EQ(console_input_dropped() - dropped, 10u);
	NC_CHECK_EQ(console_input_read(b, 3, 0, &n), NC_SYS_OK);
	NC_CHECK(n == 3 && b[0] == 0 && b[1] == 1 && b[2] == 2);
	NC_CHECK_EQ(console_input_read(b, sizeof b, 0, &n), NC_SYS_OK);
	NC_CHECK_EQ(n, CONSOLE_INPUT_BYTES - 3u);
	NC_CHECK(b[0] == 3 && b[n - 1] == (uint8_t)(CONSOLE_INPUT_BYTES - 1));
	NC_CHECK_EQ(console_input_read(b, sizeof b, 0, &n), NC_SYS_ERR_TIMED_OUT);
}

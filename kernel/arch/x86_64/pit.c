/* The 8254 PIT as a time reference (Intel 8254 data sheet: channel 2 in mode
 * 0, gated through port 0x61; OUT2 is readable as bit 5 of port 0x61). One
 * 10 ms one-shot measures the TSC rate and, through the callback, another
 * counter's rate (the local-APIC timer). */
#include "io.h"
#include "x86.h"
#include <arch/cpu.h>

enum {
	PIT_HZ = 1193182, PORT_CH2 = 0x42, PORT_CMD = 0x43, PORT_GATE = 0x61,
	CMD_CH2_LOHI_MODE0 = 0xb0, GATE_ON = 0x01, SPEAKER = 0x02, OUT2 = 0x20, WINDOW_MS = 10,
};

uint64_t pit_measure_tsc_and(uint32_t (*read)(void), uint32_t *delta_out)
{
	uint16_t count = (uint16_t)(PIT_HZ * WINDOW_MS / 1000);
	uint8_t gate = io_in8(PORT_GATE) & (uint8_t)~(GATE_ON | SPEAKER);
	io_out8(PORT_GATE, gate);
	io_out8(PORT_CMD, CMD_CH2_LOHI_MODE0);
	io_out8(PORT_CH2, (uint8_t)count);
	io_out8(PORT_CH2, (uint8_t)(count >> 8));
	uint32_t c0 = read();
	uint64_t t0 = cpu_rdtsc();
	io_out8(PORT_GATE, gate | GATE_ON);
	while (!(io_in8(PORT_GATE) & OUT2))
		cpu_pause();
	uint64_t t1 = cpu_rdtsc();
	uint32_t c1 = read();
	io_out8(PORT_GATE, gate);
	/* scale to per-second rates using the exact PIT count */
	*delta_out = (uint32_t)((uint64_t)(c1 - c0) * PIT_HZ / count);
	return (t1 - t0) * PIT_HZ / count;
}

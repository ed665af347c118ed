/* The 8254 PIT as a time reference (Intel 8254 data sheet). Channel 2 runs
 * in mode 0 from a count of 65536 with its gate on (port 0x61 bit 0) and
 * keeps counting down past zero, wrapping; a counter-latch command freezes
 * its count for reading (8254 "Read Operations").
 *
 * A measurement compares the TSC and another counter (the local-APIC timer)
 * with the PIT's count between two samples WINDOW_COUNTS apart. Each sample
 * latches the count and reads the other counter between two TSC reads, so it
 * knows the TSC at the latch within that bracket; the start and end samples
 * are the narrowest of PICKS consecutive ones. The count is followed sample
 * by sample (differences modulo 65536), so the window may be longer than
 * one wrap. Nothing depends on when the count was loaded: the previous
 * one-shot measured from the load and, under TCG on a loaded host, found
 * the TSC 1.2 to 13.7 times too fast (a virtual CPU the host had not run
 * between the load and the first TSC read; QEMU also ignores the gate in
 * mode 0), and every time in the system with it.
 *
 * A gap between two samples longer than half a wrap, judged by the rate
 * measured so far, could hide a whole wrap: that measurement is dropped.
 * ROUNDS good measurements are made and the median rate is taken, so one
 * that a starved virtual CPU spoiled in a way the checks cannot see does
 * not count. */
#include "io.h"
#include "x86.h"
#include <arch/cpu.h>

enum {
	PIT_HZ = 1193182, PORT_CH2 = 0x42, PORT_CMD = 0x43, PORT_GATE = 0x61,
	CMD_CH2_LOHI_MODE0 = 0xb0, CMD_CH2_LATCH = 0x80, GATE_ON = 0x01, SPEAKER = 0x02,
	WINDOW_COUNTS = PIT_HZ / 64, PICKS = 8, ROUNDS = 3, TRIES = 12,
	HALF_WRAP = 32768, RATE_KNOWN = 256,
};

typedef struct {
	uint64_t tsc;    /* the middle of the bracket */
	uint64_t width;  /* TSC ticks between the reads around the latch */
	uint32_t other;
	uint16_t count;
} sample_t;

static sample_t sample(uint32_t (*read)(void))
{
	sample_t s;
	uint64_t t0 = cpu_rdtsc();
	io_out8(PORT_CMD, CMD_CH2_LATCH);
	s.other = read();
	uint64_t t1 = cpu_rdtsc();
	s.count = io_in8(PORT_CH2);
	s.count |= (uint16_t)(io_in8(PORT_CH2) << 8);
	s.tsc = t0 + (t1 - t0) / 2;
	s.width = t1 - t0;
	return s;
}

typedef struct {
	sample_t last;
	uint64_t counts;     /* PIT counts since the first sample */
	uint64_t first_tsc;
	bool spoiled;        /* a gap that may hide a wrap */
} follow_t;

/* The next sample, with the count followed from the previous one. */
static sample_t next(follow_t *f, uint32_t (*read)(void))
{
	sample_t s = sample(read);
	uint64_t gap = s.tsc - f->last.tsc, so_far = f->last.tsc - f->first_tsc;
	/* gap in counts at the rate so far = gap * counts / so_far */
	if (f->counts >= RATE_KNOWN && gap * f->counts >= so_far * (uint64_t)HALF_WRAP)
		f->spoiled = true;
	f->counts += (uint16_t)(f->last.count - s.count);
	f->last = s;
	return s;
}

/* The narrowest of PICKS samples and the count it was taken at. */
static sample_t narrowest(follow_t *f, uint32_t (*read)(void), uint64_t *at)
{
	sample_t best = next(f, read);
	*at = f->counts;
	for (int i = 1; i < PICKS; i++) {
		sample_t s = next(f, read);
		if (s.width < best.width) {
			best = s;
			*at = f->counts;
		}
	}
	return best;
}

/* One measurement: TSC ticks and other-counter ticks per second; false when
 * a gap may have hidden a wrap (the rates are set all the same). */
static bool measure(uint32_t (*read)(void), uint64_t *tsc_hz, uint32_t *other_hz)
{
	follow_t f = { .last = sample(read) };
	f.first_tsc = f.last.tsc;
	uint64_t from, to;
	sample_t a = narrowest(&f, read, &from);
	while (f.counts - from < WINDOW_COUNTS && !f.spoiled)
		next(&f, read);
	sample_t b = narrowest(&f, read, &to);
	uint64_t counts = to > from ? to - from : 1;
	*tsc_hz = (b.tsc - a.tsc) * PIT_HZ / counts;
	*other_hz = (uint32_t)((uint64_t)(b.other - a.other) * PIT_HZ / counts);
	return !f.spoiled && to > from && b.tsc > a.tsc;
}

uint64_t pit_measure_tsc_and(uint32_t (*read)(void), uint32_t *delta_out)
{
	io_out8(PORT_GATE, (uint8_t)((io_in8(PORT_GATE) & ~SPEAKER) | GATE_ON));
	io_out8(PORT_CMD, CMD_CH2_LOHI_MODE0);
	io_out8(PORT_CH2, 0); /* 0 means 65536 */
	io_out8(PORT_CH2, 0);
	uint64_t tsc[ROUNDS] = { 0 };
	uint32_t other[ROUNDS] = { 0 };
	int n = 0;
	for (int i = 0; i < TRIES && n < ROUNDS; i++) {
		/* a spoiled try leaves its rates in tsc[n], other[n]: the guess if every try is spoiled */
		if (!measure(read, &tsc[n], &other[n]))
			continue;
		/* insertion by TSC rate, the other counter's rate moving with it */
		for (int j = n; j > 0 && tsc[j - 1] > tsc[j]; j--) {
			uint64_t t = tsc[j];
			uint32_t o = other[j];
			tsc[j] = tsc[j - 1];
			other[j] = other[j - 1];
			tsc[j - 1] = t;
			other[j - 1] = o;
		}
		n++;
	}
	if (n == 0)
		n = 1;
	*delta_out = other[n / 2];
	return tsc[n / 2];
}

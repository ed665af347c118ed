/* The PS/2 keyboard as a second console input (so `make run GUI=1` takes keys
 * typed in the window). The firmware leaves the i8042 controller enabled with
 * scan-code translation on, so bytes arrive in scan-code set 1 (IBM PC AT
 * Technical Reference; OSDev "PS/2 Keyboard" tables). Keys become the same
 * bytes a VT100 terminal sends on the serial line: ASCII, Ctrl-letter as
 * 0x01-0x1a, arrows and Home/End/Delete as CSI sequences, US layout. */
#include <kernel/console_input.h>
#include <kernel/cpu.h>
#include <kernel/kernel.h>
#include <stdbool.h>
#include "io.h"
#include "ioapic.h"

enum {
	PORT_DATA = 0x60, PORT_STATUS = 0x64, STATUS_FULL = 1, STATUS_AUX = 0x20,
	SC_RELEASE = 0x80, SC_EXTENDED = 0xe0, SC_LSHIFT = 0x2a, SC_RSHIFT = 0x36, SC_CTRL = 0x1d,
	SC_CAPS = 0x3a, KEYS = 0x3a,
};

/* Set-1 make codes 0x00..0x39 to ASCII, without and with Shift (0: no character). */
static const char plain[KEYS] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 127, '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[KEYS] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 127, '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

static struct {
	bool shift, ctrl, caps, extended;
} kbd;

static void push_text(const char *s)
{
	while (*s)
		console_input_push((uint8_t)*s++);
}

/* E0-prefixed keys: the cursor block. */
static void extended_key(uint8_t code)
{
	switch (code) {
	case 0x48: push_text("\x1b[A"); break;
	case 0x50: push_text("\x1b[B"); break;
	case 0x4d: push_text("\x1b[C"); break;
	case 0x4b: push_text("\x1b[D"); break;
	case 0x47: push_text("\x1b[H"); break;
	case 0x4f: push_text("\x1b[F"); break;
	case 0x53: push_text("\x1b[3~"); break;
	case 0x1c: console_input_push('\r'); break; /* keypad Enter */
	default: break;
	}
}

static void scan_code(uint8_t sc)
{
	if (sc == SC_EXTENDED) {
		kbd.extended = true;
		return;
	}
	bool release = sc & SC_RELEASE, extended = kbd.extended;
	uint8_t code = sc & ~SC_RELEASE;
	kbd.extended = false;
	if (code == SC_LSHIFT || code == SC_RSHIFT)
		kbd.shift = !release;
	else if (code == SC_CTRL)
		kbd.ctrl = !release;
	else if (release)
		return;
	else if (extended)
		extended_key(code);
	else if (code == SC_CAPS)
		kbd.caps = !kbd.caps;
	else if (code < KEYS && plain[code]) {
		char c = plain[code];
		bool letter = c >= 'a' && c <= 'z';
		if (kbd.ctrl && letter)
			c = (char)(c - 'a' + 1);
		else if (kbd.shift != (kbd.caps && letter))
			c = shifted[code];
		console_input_push((uint8_t)c);
	}
}

void ps2_keyboard_irq(void)
{
	uint8_t status;
	while ((status = io_in8(PORT_STATUS)) & STATUS_FULL) {
		uint8_t byte = io_in8(PORT_DATA);
		if (!(status & STATUS_AUX))
			scan_code(byte);
	}
}

void ps2_keyboard_start(void)
{
	if (!ioapic_route_isa(kernel_acpi.madt_phys, ISA_IRQ_KEYBOARD, VEC_KEYBOARD, cpus[0].apic_id))
		return;
	ps2_keyboard_irq(); /* drop whatever the firmware left in the buffer */
	kbd.shift = kbd.ctrl = kbd.caps = kbd.extended = false;
}

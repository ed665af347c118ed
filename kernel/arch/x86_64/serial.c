/* COM1, a 16550-compatible UART at I/O port 0x3f8: 115200 8N1, polled output.
 * Register map: PC16550D data sheet, "Register Addressing". */
#include <kernel/arch.h>
#include "io.h"

enum {
	COM1 = 0x3f8, REG_DATA = 0, REG_IER = 1, REG_FCR = 2, REG_LCR = 3, REG_MCR = 4, REG_LSR = 5,
	LCR_DLAB = 0x80, LCR_8N1 = 0x03, LSR_THR_EMPTY = 0x20, DIVISOR_115200 = 1,
};

void arch_serial_init(void)
{
	io_out8(COM1 + REG_IER, 0);
	io_out8(COM1 + REG_LCR, LCR_DLAB);
	io_out8(COM1 + REG_DATA, DIVISOR_115200);
	io_out8(COM1 + REG_IER, 0);
	io_out8(COM1 + REG_LCR, LCR_8N1);
	io_out8(COM1 + REG_FCR, 0xc7); /* enable and clear FIFOs */
	io_out8(COM1 + REG_MCR, 0x03); /* DTR, RTS */
}

void arch_serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_serial_write("\r", 1);
		while (!(io_in8(COM1 + REG_LSR) & LSR_THR_EMPTY))
			;
		io_out8(COM1 + REG_DATA, (uint8_t)s[i]);
	}
}

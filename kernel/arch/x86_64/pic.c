/* The legacy 8259A PIC pair: remapped away from the exception vectors and
 * fully masked, so neither a stray IRQ nor the spurious IRQ 7/15 can look
 * like a CPU exception (8259A data sheet, ICW1-ICW4, OCW1). The kernel takes
 * interrupts through the local APIC only. */
#include "io.h"
#include "x86.h"

enum {
	MASTER_CMD = 0x20, MASTER_DATA = 0x21, SLAVE_CMD = 0xa0, SLAVE_DATA = 0xa1,
	ICW1_INIT_ICW4 = 0x11, ICW4_8086 = 0x01, CASCADE_IRQ = 2, CASCADE_ID = 2, MASK_ALL = 0xff,
};

void pic_disable(void)
{
	io_out8(MASTER_CMD, ICW1_INIT_ICW4);
	io_out8(SLAVE_CMD, ICW1_INIT_ICW4);
	io_out8(MASTER_DATA, VEC_PIC_BASE);
	io_out8(SLAVE_DATA, VEC_PIC_BASE + 8);
	io_out8(MASTER_DATA, 1 << CASCADE_IRQ);
	io_out8(SLAVE_DATA, CASCADE_ID);
	io_out8(MASTER_DATA, ICW4_8086);
	io_out8(SLAVE_DATA, ICW4_8086);
	io_out8(MASTER_DATA, MASK_ALL);
	io_out8(SLAVE_DATA, MASK_ALL);
}

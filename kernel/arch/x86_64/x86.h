/* Functions shared by the x86-64 files of the kernel (private to arch/). */
#ifndef ARCH_X86_64_X86_H
#define ARCH_X86_64_X86_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <arch/frame.h>

/* Interrupt vectors. */
enum {
	VEC_TIMER = 0x20, VEC_PIC_BASE = 0xe0 /* masked legacy PIC, 16 vectors */, VEC_IPI_RESCHED = 0xf0, VEC_IPI_TLB = 0xf1,
	VEC_SPURIOUS = 0xff, VEC_NMI = 2, VEC_DOUBLE_FAULT = 8, VEC_PAGE_FAULT = 14, VEC_MACHINE_CHECK = 18,
	/* device interrupts (MSI, MSI-X) handed out by kernel/irq.c, and the IOMMU's fault event */
	VEC_DEVICE_FIRST = 0x40, VEC_DEVICE_LAST = VEC_DEVICE_FIRST + ARCH_IRQ_VECTORS - 1, VEC_IOMMU_FAULT = 0xd0,
};
void vtd_fault_irq(void);                             /* vtd.c: the IOMMU's fault event */

void gdt_load(cpu_t *c);                              /* gdt.c: GDT, segments, TSS */
/* The stack interrupts (TSS rsp0) and system calls from user mode start on. */
static inline void gdt_set_kernel_stack(cpu_t *c, uint64_t top)
{
	c->arch.tss.rsp[0] = top;
	c->syscall_rsp = top;
}

/* features.c: XSAVE (else FXSAVE) holds the FPU/SSE/AVX state. */
extern bool cpu_has_xsave;

void idt_init(void);                                  /* idt.c: build once */
void idt_load(void);                                  /* each CPU */
void cpu_features_init(bool boot_cpu);                /* features.c: CR0/CR4/EFER/XCR0, syscall MSRs */
void lapic_init(void);                                /* lapic.c: enable this CPU's local APIC */
void pic_disable(void);                               /* pic.c: remap and mask the 8259s */
void lapic_timer_start(void);                         /* periodic tick at the calibrated rate */
void lapic_calibrate(void);                           /* boot CPU, against the PIT */
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
void lapic_send_init_sipi(uint32_t apic_id, uint8_t page);
uint64_t pit_measure_tsc_and(uint32_t (*read)(void), uint32_t *delta_out); /* pit.c */
bool usercopy_fixup(trap_frame_t *f);                 /* usercopy.S exception table */
void backtrace_print(uint64_t rbp, uint64_t rip);     /* backtrace.c */
const char *trap_vector_name(uint64_t vector);        /* trap.c */
void trap_print_frame(const trap_frame_t *f);

#endif

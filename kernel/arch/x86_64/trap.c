/* Trap dispatch: exceptions, the timer and IPIs. A user-mode exception is
 * reported (vector, address, registers) and ends only the faulting process; a
 * kernel exception is fatal unless it hit a user-copy instruction, whose fault
 * resumes at its fixup (usercopy.S). Names: Intel SDM Vol. 3A 6.15. */
#include <kernel/arch.h>
#include <kernel/clock.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/tlb.h>
#include <arch/cpu.h>
#include "ioapic.h"
#include "x86.h"

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available", "#DF double fault",
	"coprocessor overrun", "#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD exception", "#VE virtualization", "#CP control protection",
};

const char *trap_vector_name(uint64_t vector)
{
	return vector < 32 && exception_names[vector] ? exception_names[vector] : "reserved vector";
}

void trap_print_frame(const trap_frame_t *f)
{
	kprintf("  rip %016llx  rsp %016llx  rflags %08llx  cs %llx ss %llx err %llx\n",
		(unsigned long long)f->rip, (unsigned long long)f->rsp, (unsigned long long)f->rflags,
		(unsigned long long)f->cs, (unsigned long long)f->ss, (unsigned long long)f->error);
	kprintf("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n", (unsigned long long)f->rax,
		(unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n", (unsigned long long)f->rsi,
		(unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	kprintf("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long)f->r9,
		(unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	kprintf("  r13 %016llx  r14 %016llx  r15 %016llx  cr2 %016llx\n", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15, (unsigned long long)cpu_read_cr2());
}

static void kernel_exception(trap_frame_t *f)
{
	if (f->vector == VEC_PAGE_FAULT && usercopy_fixup(f))
		return;
	if (kernel_panicking) { /* a fault while reporting one: stop here */
		if (kernel_test_mode)
			arch_qemu_exit(KERNEL_EXIT_FAIL);
		arch_halt_forever();
	}
	panic_begin();
	kprintf("\nkernel exception on cpu %u: %s (vector %llu) at %016llx, address %016llx\n",
		cpu_this()->index, trap_vector_name(f->vector), (unsigned long long)f->vector,
		(unsigned long long)f->rip, (unsigned long long)cpu_read_cr2());
	trap_print_frame(f);
	backtrace_print(f->rbp, f->rip);
	kprintf("\nPANIC: kernel exception %s\n", trap_vector_name(f->vector));
	panic_stop();
}

static void user_exception(trap_frame_t *f)
{
	thread_t *t = thread_current();
	uint64_t addr = f->vector == VEC_PAGE_FAULT ? cpu_read_cr2() : f->rip;
	kprintf("fault: process %s (pid %u) thread %u on cpu %u: %s (vector %llu), address %016llx\n",
		t->proc->name, t->proc->pid, t->tid, cpu_this()->index, trap_vector_name(f->vector),
		(unsigned long long)f->vector, (unsigned long long)addr);
	trap_print_frame(f);
	process_kill_on_fault(t->proc, (uint8_t)f->vector);
}

/* An NMI can arrive anywhere, also between a swapgs and the instruction
 * that relies on it (system-call entry, trap_return, before sysret), so GS
 * may be the user's whatever the frame's CS says: this uses nothing
 * GS-based and finds its CPU by APIC id. In a panic it stops the CPU
 * (arch_halt_others sends NMIs); otherwise it counts the NMI and returns.
 * It runs on its own IST stack, so it never uses a stack the kernel does
 * not own. */
static void nmi(trap_frame_t *f)
{
	if (kernel_panicking)
		arch_halt_forever();
	uint32_t id = lapic_id();
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i].apic_id == id) {
			cpus[i].arch.nmi_count++;
			cpus[i].arch.nmi_frame = (uint64_t)f;
		}
}

void trap_dispatch(trap_frame_t *f);
void trap_dispatch(trap_frame_t *f)
{
	if (f->vector == VEC_NMI) {
		nmi(f);
		return;
	}
	if (f->vector < 32) {
		if (!frame_from_user(f))
			kernel_exception(f);
		else
			user_exception(f);
	} else if (f->vector == VEC_TIMER) {
		lapic_eoi();
		cpu_this()->ticks++;
		clock_tick();
		sched_tick();
	} else if (f->vector == VEC_IPI_RESCHED) {
		lapic_eoi();
		cpu_this()->need_resched = true;
	} else if (f->vector == VEC_IPI_TLB) {
		tlb_handle_ipi();
		lapic_eoi();
	} else if (f->vector == VEC_COM1) {
		serial_input_irq();
		lapic_eoi();
	} else if (f->vector == VEC_KEYBOARD) {
		ps2_keyboard_irq();
		lapic_eoi();
	} else if (f->vector >= VEC_DEVICE_FIRST && f->vector <= VEC_DEVICE_LAST) {
		irq_dispatch(f->vector - VEC_DEVICE_FIRST);
		lapic_eoi();
	} else if (f->vector == VEC_IOMMU_FAULT) {
		vtd_fault_irq();
		lapic_eoi();
	} else if (f->vector != VEC_SPURIOUS) {
		lapic_eoi();
	}
	if (frame_from_user(f))
		sched_return_to_user();
}

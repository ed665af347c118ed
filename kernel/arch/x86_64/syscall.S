/* syscall/sysret entry (Intel SDM Vol. 2B SYSCALL, SYSRET). On entry rcx =
 * user rip, r11 = user rflags, interrupts masked by FMASK. The entry builds a
 * trap_frame_t like an interrupt would (vector FRAME_SYSCALL_VECTOR), so
 * fault reporting and thread exit see one frame format, then runs
 * syscall_dispatch with interrupts on. The return path uses sysret, whose user
 * rip is the rcx the CPU saved: canonical, since no user page touches the top
 * of the lower half (VM_USER_MAP_TOP), and syscall_dispatch checks it. */
#include "asm.h"

	.section .text
	.global syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:16
	mov %gs:8, %rsp
	pushq $0x23            /* user ss: GDT_USER_DS | 3 */
	pushq %gs:16           /* user rsp */
	pushq %r11             /* user rflags */
	pushq $0x2b            /* user cs: GDT_USER_CS | 3 */
	pushq %rcx             /* user rip */
	pushq $0               /* error */
	pushq $0x100           /* FRAME_SYSCALL_VECTOR */
	PUSH_REGS
	mov %rsp, %rdi
	cld
	sti
	call syscall_dispatch
	cli
	POP_REGS
	add $16, %rsp          /* vector, error */
	pop %rcx               /* user rip */
	add $8, %rsp           /* cs */
	pop %r11               /* user rflags */
	pop %rsp               /* user rsp */
	swapgs
	sysretq
	.section .note.GNU-stack, "", @progbits

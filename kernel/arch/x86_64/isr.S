/* Interrupt and exception entry (Intel SDM Vol. 3A 6.12-6.14): one stub per
 * vector pushes a zero error code when the CPU does not, then the vector, then
 * jumps to isr_common, which saves the general registers into a trap_frame_t
 * (arch/frame.h), swaps GS when coming from user mode, clears RFLAGS.AC
 * (SMAP stays in force in the handler) and calls trap_dispatch(frame). trap_return restores a frame; new user threads start
 * there too. */
#include "asm.h"

	.altmacro
	.section .text
.macro ISR vec
	.balign 16
isr_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
.endm

	.set i, 0
	.rept 256
	ISR %i
	.set i, i + 1
	.endr

isr_common:
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:	PUSH_REGS
	mov %rsp, %rdi
	cld
	/* RFLAGS.AC is the interrupted code's (a user can set it): with SMAP the
	 * handler must not inherit it (iretq restores it) */
	cmpb $0, cpu_has_smap(%rip)
	je 3f
	clac
3:	call trap_dispatch
	.global trap_return
trap_return:
	POP_REGS
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	add $16, %rsp
	iretq

/* isr_table: the 256 stub addresses for idt.c. */
.macro ISR_ENTRY vec
	.quad isr_\vec
.endm
	.section .rodata
	.balign 8
	.global isr_table
isr_table:
	.set i, 0
	.rept 256
	ISR_ENTRY %i
	.set i, i + 1
	.endr
	.section .note.GNU-stack, "", @progbits

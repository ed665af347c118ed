/* Assembler macros shared by isr.S and syscall.S: save and restore the
 * general registers in trap_frame_t order (arch/frame.h: r15 at the lowest
 * address, so r9 is pushed first). */
.macro PUSH_REGS
	push %r9
	push %r8
	push %r10
	push %rdx
	push %rsi
	push %rdi
	push %rax
	push %rbp
	push %rcx
	push %rbx
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm
.macro POP_REGS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %rbx
	pop %rcx
	pop %rbp
	pop %rax
	pop %rdi
	pop %rsi
	pop %rdx
	pop %r10
	pop %r8
	pop %r9
.endm

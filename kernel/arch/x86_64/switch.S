/* Kernel context switch: arch_context_switch(uint64_t *save_rsp, uint64_t
 * load_rsp) saves the callee-saved registers (System V ABI) on the current
 * stack, stores rsp, loads the other thread's rsp and returns on its stack.
 * A new thread's stack is prepared by context.c so that the first return
 * lands in one of the trampolines below, with r12 = function, r13 = argument. */
	.section .text
	.global arch_context_switch
arch_context_switch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

/* First run of a kernel thread: finish the switch, then fn(arg); fn never returns. */
	.global arch_kthread_start
arch_kthread_start:
	call sched_finish_switch
	sti
	mov %r13, %rdi
	call *%r12
	ud2

/* First run of a user thread: its trap_frame_t sits right above this point. */
	.global arch_uthread_start
arch_uthread_start:
	call sched_finish_switch
	cli
	jmp trap_return
	.section .note.GNU-stack, "", @progbits

/* Process entry: the kernel starts the first thread with rdi = argument
 * string, rsi = its length, rsp 16-byte aligned (kernel/exec.c). */
	.section .text
	.global _start
_start:
	xor %ebp, %ebp
	call main
	mov %rax, %rdi
	call nc_sys_exit
	ud2
	.section .note.GNU-stack, "", @progbits

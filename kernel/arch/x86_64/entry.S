/* Kernel entry from the UEFI loader (boot/include/nc/boot_info.h): %rdi holds
 * the boot info's direct-map address. Switch to the boot stack and call
 * kernel_main; it never returns. */
	.section .text.entry, "ax"
	.global _start
_start:
	cli
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	call kernel_main
1:	hlt
	jmp 1b

	.section .bss
	.balign 16
boot_stack:
	.skip 65536
	.global boot_stack_top
boot_stack_top:
	.section .note.GNU-stack, "", @progbits

/* AP start-up code (Intel SDM Vol. 3A 9.4.4, 9.8.5 mode switching). smp.c
 * copies [ap_trampoline, ap_trampoline_end) to a page below 1 MiB, fills the
 * data block at the end and sends INIT-SIPI-SIPI with that page. The AP runs
 * it in real mode with CS = page >> 4, so the code addresses everything
 * relative to the page base it computes into ebx. It enters protected mode,
 * enables PAE and long mode with the kernel's CR3 (which identity-maps this
 * page while APs start), and jumps to ap_entry(cpu, &state) on the AP's own stack. */
	.section .rodata
	.code16
	.global ap_trampoline, ap_trampoline_end
	.global ap_tramp_cr3, ap_tramp_stack, ap_tramp_entry, ap_tramp_arg, ap_tramp_state
	.global ap_tramp_gdt_base, ap_tramp_far32, ap_tramp_far64
	.balign 4096
ap_trampoline:
	cli
	cld
	xor %ebx, %ebx
	mov %cs, %bx
	shl $4, %ebx
	mov %cs, %ax
	mov %ax, %ds
	lgdtl ap_tramp_gdt_ptr - ap_trampoline
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl *(ap_tramp_far32 - ap_trampoline)

	.code32
ap_tramp_pm32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0xa0, %eax                 /* PAE | PGE */
	mov %eax, %cr4
	mov (ap_tramp_cr3 - ap_trampoline)(%ebx), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx          /* EFER: LME | NXE */
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax           /* PG | WP | PE */
	mov %eax, %cr0
	ljmpl *(ap_tramp_far64 - ap_trampoline)(%ebx)

	.code64
ap_tramp_lm64:
	mov %ebx, %ebx
	mov (ap_tramp_stack - ap_trampoline)(%rbx), %rsp
	mov (ap_tramp_arg - ap_trampoline)(%rbx), %rdi
	lea (ap_tramp_state - ap_trampoline)(%rbx), %rsi   /* identity address: smp.c keeps it mapped */
	mov (ap_tramp_entry - ap_trampoline)(%rbx), %rax
	xor %ebp, %ebp
	call *%rax
1:	hlt
	jmp 1b

	.balign 8
ap_tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff       /* 0x08 32-bit code */
	.quad 0x00cf92000000ffff       /* 0x10 32-bit data */
	.quad 0x00209a0000000000       /* 0x18 64-bit code */
ap_tramp_gdt_ptr:
	.word 31
ap_tramp_gdt_base:
	.long 0                        /* patched: page + (ap_tramp_gdt - ap_trampoline) */
ap_tramp_far32:
	.long 0                        /* patched: page + (ap_tramp_pm32 - ap_trampoline) */
	.word 0x08
ap_tramp_far64:
	.long 0                        /* patched: page + (ap_tramp_lm64 - ap_trampoline) */
	.word 0x18
	.balign 8
ap_tramp_cr3:	.quad 0
ap_tramp_stack:	.quad 0
ap_tramp_entry:	.quad 0
ap_tramp_arg:	.quad 0
ap_tramp_state:	.quad 0                /* the attempt's handshake word (smp.c) */
ap_trampoline_end:
	.global ap_tramp_pm32, ap_tramp_lm64, ap_tramp_gdt
	.section .note.GNU-stack, "", @progbits

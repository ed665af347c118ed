/* Copies between kernel and user memory that survive bad user addresses.
 * Each instruction that touches user memory is listed in the ex_table
 * section (fault address, fixup address); the page-fault handler resumes a
 * faulting copy at its fixup, which returns nonzero. Callers (kernel/usercopy.c)
 * check the range lies in user space first. stac/clac open user access when
 * SMAP is on (Intel SDM Vol. 3A 4.6.1). */
	.section .text
/* int arch_copy_user(void *dst, const void *src, size_t n): 0, or 1 on fault.
 * Eight bytes per step, then the rest byte by byte (an IPC message is mostly
 * whole words: this halves a short message's instruction count). */
	.global arch_copy_user
arch_copy_user:
	cmpb $0, cpu_has_smap(%rip)
	je 1f
	stac
1:	mov %rdx, %rcx
	shr $3, %rcx
.Lcopy_words:
	rep movsq
	mov %rdx, %rcx
	and $7, %rcx
.Lcopy_bytes:
	rep movsb
	cmpb $0, cpu_has_smap(%rip)
	je 2f
	clac
2:	xor %eax, %eax
	ret
.Lcopy_fault:
	cmpb $0, cpu_has_smap(%rip)
	je 3f
	clac
3:	mov $1, %eax
	ret

	.section ex_table, "a"
	.balign 8
	.quad .Lcopy_words, .Lcopy_fault
	.quad .Lcopy_bytes, .Lcopy_fault
	.section .note.GNU-stack, "", @progbits

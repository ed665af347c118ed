/* The register frame every kernel entry from an interrupt, exception or
 * syscall leaves on the kernel stack (kernel/arch/x86_64/isr.S, syscall.S).
 * The order matches the pushes: general registers, then vector and error
 * code, then the hardware interrupt frame (Intel SDM Vol. 3A 6.14.1). */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdbool.h>
#include <stdint.h>

typedef struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, rbx, rcx, rbp, rax;
	uint64_t rdi, rsi, rdx, r10, r8, r9; /* the system-call arguments, in order */
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
} trap_frame_t;

enum { FRAME_SYSCALL_VECTOR = 0x100, FRAME_GP_VECTOR = 13 };

static inline bool frame_from_user(const trap_frame_t *f) { return (f->cs & 3) == 3; }

/* sysret takes the user rip from rcx without checking it; a non-canonical
 * one faults in ring 0, on the user's stack, on Intel CPUs (SDM Vol. 2B
 * SYSRET). The kernel never maps the page whose last instruction would
 * produce one (VM_USER_MAP_TOP), and syscall_dispatch checks this anyway:
 * true when f->rip is a canonical lower-half address. */
static inline bool frame_sysret_ok(const trap_frame_t *f) { return f->rip < 0x0000800000000000ull; }

#endif

/* The exception table of usercopy.S: (faulting instruction, fixup) pairs in
 * the ex_table section. A kernel page fault at a listed instruction resumes at
 * its fixup instead of panicking. */
#include "x86.h"

typedef struct {
	uint64_t insn, fixup;
} extable_entry_t;

extern const extable_entry_t __ex_table_start[], __ex_table_end[];

bool usercopy_fixup(trap_frame_t *f)
{
	for (const extable_entry_t *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	return false;
}

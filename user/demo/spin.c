/* spin: a demonstration of isolation from the shell. `spin` computes for ever
 * (end it with Ctrl-C); `spin crash` dereferences a null pointer, which ends
 * only this process (the shell reports CPU exception 14). */
#include <nc/mem.h>
#include <nc/ulib.h>

int main(const char *arg, size_t arg_len)
{
	if (arg_len == 5 && nc_mem_compare(arg, "crash", 5) == 0) {
		nc_print("spin: dereferencing NULL\n");
		return *(volatile int *)0;
	}
	nc_print("spin: computing for ever (Ctrl-C ends me)\n");
	volatile uint64_t x = 0;
	for (;;)
		x++;
}

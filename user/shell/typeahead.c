/* Type-ahead: the bytes the shell read from the terminal while a program ran
 * in the foreground, queued in order for the next prompt (see shell.h). The
 * main loop feeds this queue to the shell before it reads the terminal again,
 * so a line typed during a run is edited and executed as if typed at the
 * prompt. */
#include "shell.h"

void shell_typeahead_push(shell_typeahead_t *t, uint8_t byte)
{
	if (t->count == SHELL_TYPEAHEAD_BYTES) {
		t->n_dropped++;
		return;
	}
	t->bytes[(t->head + t->count) % SHELL_TYPEAHEAD_BYTES] = byte;
	t->count++;
}

bool shell_typeahead_pop(shell_typeahead_t *t, uint8_t *out)
{
	if (t->count == 0)
		return false;
	*out = t->bytes[t->head];
	t->head = (t->head + 1) % SHELL_TYPEAHEAD_BYTES;
	t->count--;
	return true;
}

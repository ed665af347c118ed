/* Type-ahead: the bytes the shell read from the terminal while a program ran
 * in the foreground and did not take, queued in order for the next prompt
 * (see shell.h). The main loop feeds this queue to the shell before it reads
 * the terminal again, so a line typed during a run is edited and executed as
 * if typed at the prompt. The same queue type holds the keys on their way to
 * a program's standard input (run.c: peek, send, discard what was sent). */
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

size_t shell_typeahead_peek(const shell_typeahead_t *t, uint8_t *out, size_t max)
{
	size_t n = t->count < max ? t->count : max;
	for (size_t i = 0; i < n; i++)
		out[i] = t->bytes[(t->head + i) % SHELL_TYPEAHEAD_BYTES];
	return n;
}

void shell_typeahead_discard(shell_typeahead_t *t, size_t n)
{
	if (n > t->count)
		n = t->count;
	t->head = (t->head + n) % SHELL_TYPEAHEAD_BYTES;
	t->count -= n;
}

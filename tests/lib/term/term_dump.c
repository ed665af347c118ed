/* term_dump COLS ROWS: feed stdin to lib/term and print the screen for the
 * pyte comparison (term_pyte_test.py): "cursor ROW COL VISIBLE", then one
 * line per row: the row's cells as "CODEPOINT,FG,BG,ATTR" separated by
 * spaces, then "reply HEX" (the device status answers), then "wrap_controls
 * N": how many control bytes or escapes came while the cursor waited to wrap
 * (where pyte and xterm part ways; the test leaves such streams out). */
#include <nc/term.h>
#include <stdio.h>
#include <stdlib.h>

static void *sys_alloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void sys_free(void *ctx, void *p) { (void)ctx; free(p); }

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	nc_term_alloc_t al = { NULL, sys_alloc, sys_free };
	nc_term_t *t;
	if (nc_term_create(atoi(argv[1]), atoi(argv[2]), 100, &al, &t))
		return 1;
	int cols, rows, row, col, ch;
	bool visible;
	unsigned wrap_controls = 0;
	nc_term_size(t, &cols, &rows);
	while ((ch = getchar()) != EOF) {
		nc_term_cursor(t, &row, &col, &visible);
		wrap_controls += col == cols && ch < 0x20;
		char b = (char)ch;
		nc_term_write(t, &b, 1);
	}
	nc_term_cursor(t, &row, &col, &visible);
	printf("cursor %d %d %d\n", row, col, visible);
	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			const nc_term_cell_t *x = nc_term_cell(t, r, c);
			printf("%s%u,%u,%u,%u", c ? " " : "", x->cp, x->fg, x->bg, x->attr);
		}
		printf("\n");
	}
	char reply[NC_TERM_REPLY_MAX];
	size_t k = nc_term_take_reply(t, reply, sizeof reply);
	printf("reply ");
	for (size_t i = 0; i < k; i++)
		printf("%02x", (unsigned char)reply[i]);
	printf("\nwrap_controls %u\n", wrap_controls);
	nc_term_destroy(t);
	return 0;
}

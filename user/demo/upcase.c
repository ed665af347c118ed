/* upcase: a program that reads its standard input. Echoes each typed line in
 * capitals (Enter ends a line) until the end of input (Ctrl-D at the shell),
 * then says how many bytes it read. */
#include <nc/ulib.h>

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

int main(const char *arg, size_t arg_len)
{
	(void)arg;
	(void)arg_len;
	char buf[64];
	size_t n, total = 0;
	nc_print("upcase: type lines, Ctrl-D ends\n");
	while (nc_stdin_read(buf, sizeof buf, NC_SYS_TIMEOUT_INFINITE, &n) == NC_SYS_OK && n) {
		for (size_t i = 0; i < n; i++)
			buf[i] = buf[i] == '\r' ? '\n' : upper(buf[i]);
		nc_print("%.*s", (int)n, buf);
		total += n;
	}
	nc_print("upcase: end of input after %llu bytes\n", (unsigned long long)total);
	return 0;
}

/* Console output for user programs: format into a stack buffer, then one
 * WriteConsole, so lines from several threads do not interleave. */
#include <nc/fmt.h>
#include <nc/ulib.h>
#include <stdarg.h>

void nc_print(const char *fmt, ...)
{
	char buf[NC_PRINT_MAX];
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vformat(buf, sizeof buf, fmt, ap);
	va_end(ap);
	nc_sys_write_console(buf, n < sizeof buf ? n : sizeof buf - 1);
}

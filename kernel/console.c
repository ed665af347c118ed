/* Console fan-out: serial always, framebuffer when attached. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <nc/fmt.h>
#include <stdarg.h>
#include <stdbool.h>

static bool fb_attached;

void console_init(void)
{
	arch_serial_init();
}

void console_attach_framebuffer(const nc_boot_framebuffer_t *fb, uint64_t hhdm_base)
{
	fb_attached = fbcon_init(fb, hhdm_base) == 0;
}

void console_write(const char *s, size_t len)
{
	arch_serial_write(s, len);
	if (fb_attached)
		fbcon_write(s, len);
}

static void sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nc_fmt_vprint(sink, NULL, fmt, ap);
	va_end(ap);
}

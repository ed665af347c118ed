/* Console fan-out: serial always, framebuffer when attached. One lock keeps
 * each write whole when CPUs print at once (a panic bypasses it). A panic
 * also takes the framebuffer back from a user process holding the display,
 * so its report is seen on the screen too. */
#include <kernel/arch.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <nc/fmt.h>
#include <stdarg.h>
#include <stdbool.h>

static bool fb_attached;
static bool fb_hidden; /* a user process holds the display (under lock) */

void console_init(void)
{
	arch_serial_init();
}

void console_attach_framebuffer(const nc_boot_framebuffer_t *fb, uint64_t hhdm_base)
{
	fb_attached = fbcon_init(fb, hhdm_base) == 0;
}

static spinlock_t lock = SPINLOCK_INIT;

void console_write(const char *s, size_t len)
{
	bool locked = !kernel_panicking;
	uint64_t f = locked ? spin_lock(&lock) : 0;
	arch_serial_write(s, len);
	if (fb_attached && fb_hidden && !locked) {
		fb_hidden = false;
		fbcon_show(true);
	}
	if (fb_attached)
		fbcon_write(s, len);
	if (locked)
		spin_unlock(&lock, f);
}

void console_show_framebuffer(bool visible)
{
	if (!fb_attached)
		return;
	uint64_t f = spin_lock(&lock);
	fb_hidden = !visible;
	fbcon_show(visible);
	spin_unlock(&lock, f);
}

void kprintf(const char *fmt, ...)
{
	char buf[KPRINTF_MAX];
	va_list ap;
	va_start(ap, fmt);
	size_t n = nc_fmt_vformat(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write(buf, n < sizeof buf ? n : sizeof buf - 1);
}

/* The kernel console: every line goes to COM1 and, once fbcon is up, to the
 * framebuffer. SMP-safe: each console_write, and each kprintf line up to
 * KPRINTF_MAX bytes, comes out whole. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <nc/boot_info.h>

enum { KPRINTF_MAX = 512 };

void console_init(void);
/* Attach the framebuffer console; no-op when fb->format is NC_BOOT_FB_NONE. */
void console_attach_framebuffer(const nc_boot_framebuffer_t *fb, uint64_t hhdm_base);
void console_write(const char *s, size_t len);
/* The display changes hands (kernel/display.c): false while a user process
 * holds the framebuffer (the console keeps its text but draws nothing; serial
 * output goes on), true when the kernel takes it back (a full redraw). */
void console_show_framebuffer(bool visible);
/* printf subset of nc/fmt.h */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Framebuffer text console (kernel/fbcon.c), driven by console.c. */
int fbcon_init(const nc_boot_framebuffer_t *fb, uint64_t hhdm_base);
void fbcon_write(const char *s, size_t len);
/* Draw from now on (true: redraw the screen from the kept text) or only keep
 * the text (false). */
void fbcon_show(bool visible);

#endif

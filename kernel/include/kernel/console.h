/* The kernel console: every line goes to COM1 and, once fbcon is up, to the
 * framebuffer. SMP-safe: each console_write, and each kprintf line up to
 * KPRINTF_MAX bytes, comes out whole, except a write made with interrupts
 * off (from an interrupt handler, or holding a spinlock), which may land
 * between two chunks of another CPU's write. Interrupts are off for one
 * chunk of CONSOLE_CHUNK bytes at a time (the serial bytes, the text and at
 * most one screenful of painting), never for a whole write, so other CPUs'
 * TLB shootdowns are answered while a long write goes on. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <nc/boot_info.h>

enum { KPRINTF_MAX = 512, CONSOLE_CHUNK = 256 };

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
/* Change the text only (no painting). */
void fbcon_write(const char *s, size_t len);
/* Put what fbcon_write changed on the screen: at most one screenful. */
void fbcon_paint(void);
/* Draw from now on (true: redraw the screen from the kept text) or only keep
 * the text (false). */
void fbcon_show(bool visible);

#endif

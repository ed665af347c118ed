/* The display: the boot framebuffer, held by the kernel console or by one
 * user process (DisplayMap, docs/desktop.md). The holder is the process that
 * mapped it, until it ends; then the console redraws its text on the screen. */
#ifndef KERNEL_DISPLAY_H
#define KERNEL_DISPLAY_H

struct process;

/* p has no live thread left (process_thread_ended): if it held the display,
 * the kernel console takes it back and redraws. No spinlock held. */
void display_process_ended(struct process *p);

#endif

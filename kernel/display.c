/* The display (kernel/display.h): DisplayMap gives the boot framebuffer
 * (UEFI GOP, nc_boot_framebuffer_t) to one process, the compositor. Its pages
 * are device memory, mapped VM_FOREIGN with no owner object (kernel/umap.h),
 * so neither an unmap nor the process's end ever frees them. The holder keeps
 * the display until it ends, whatever it unmaps meanwhile: holding is about
 * who may draw, and the kernel console must not draw over a process that
 * could still be showing something. When the holder's last thread ends
 * nothing can write through its mappings any more, so the console redraws
 * then, without waiting for the parent to reap it.
 *
 * Locking: lock guards holder; it is never held across the mapping or the
 * console's redraw (which takes the console lock). */
#include <kernel/console.h>
#include <kernel/display.h>
#include <kernel/kernel.h>
#include <kernel/process.h>
#include <kernel/spinlock.h>
#include <kernel/sys_table.h>
#include <kernel/umap.h>
#include <kernel/usercopy.h>

enum { FB_BYTES_PER_PX = 4 };

static spinlock_t lock = SPINLOCK_INIT;
static struct process *holder; /* NULL: the kernel console draws */

static bool take_display(struct process *p)
{
	uint64_t f = spin_lock(&lock);
	bool free = holder == NULL;
	if (free)
		holder = p;
	spin_unlock(&lock, f);
	return free;
}

/* Whether p held the display; it holds it no longer. */
static bool release(struct process *p)
{
	uint64_t f = spin_lock(&lock);
	bool held = holder == p;
	if (held)
		holder = NULL;
	spin_unlock(&lock, f);
	return held;
}

nc_sys_err_t sys_display_map(uint64_t info, uint64_t *addr_out)
{
	const nc_boot_framebuffer_t *fb = &kernel_boot_info->fb;
	if (fb->format == NC_BOOT_FB_NONE)
		return NC_SYS_ERR_NO_DEVICE;
	uint64_t offset = fb->phys_base % VM_PAGE_BYTES;
	uint64_t bytes = (uint64_t)fb->pitch_px * fb->height_px * FB_BYTES_PER_PX;
	uint64_t n_pages = (offset + bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	nc_sys_display_mode_t mode = {
		.width_px = fb->width_px, .height_px = fb->height_px, .stride_px = fb->pitch_px,
		.format = fb->format == NC_BOOT_FB_RGBX ? NC_SYS_DISPLAY_RGBX : NC_SYS_DISPLAY_BGRX,
		.size_bytes = n_pages * VM_PAGE_BYTES - offset,
	};
	process_t *p = thread_current()->proc;
	if (!take_display(p))
		return NC_SYS_ERR_BUSY;
	console_show_framebuffer(false);
	uint64_t va;
	nc_sys_err_t err = copy_to_user(info, &mode, sizeof mode) ? NC_SYS_ERR_BAD_ADDRESS : NC_SYS_OK;
	if (!err)
		err = umap_reserve(p, n_pages, &va);
	if (!err)
		err = umap_map(p->vs, va, n_pages, VM_WRITE, NULL, fb->phys_base - offset, NULL);
	if (err) {
		release(p);
		console_show_framebuffer(true);
		return err;
	}
	*addr_out = va + offset;
	return NC_SYS_OK;
}

void display_process_ended(struct process *p)
{
	if (release(p))
		console_show_framebuffer(true);
}

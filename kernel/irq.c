/* Device interrupts for user-space drivers (see kernel/irq.h). MSI-X table
 * entries are 16 bytes {address low, address high, data, vector control (bit
 * 0 masks)}; the capability's control word has the enable bit 15 and the
 * function mask bit 14 (PCI Local Bus 3.0, 6.8.2). MSI: control bit 0
 * enables, bit 7 says 64-bit addresses, bit 8 per-vector masking; then the
 * address, data and mask registers (6.8.1). The kernel maps the MSI-X table
 * itself (MmioMap never maps its pages). */
#include <kernel/arch.h>
#include <kernel/channel.h>
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/irq.h>
#include <kernel/kmmio.h>
#include <kernel/quota.h>

enum {
	MSIX_CTRL = 2, MSIX_ENABLE = 1 << 15, MSIX_FUNCTION_MASK = 1 << 14, MSIX_ENTRY_WORDS = 4,
	MSIX_ADDR_LO = 0, MSIX_ADDR_HI = 1, MSIX_DATA = 2, MSIX_VECTOR_CTRL = 3, MSIX_MASKED = 1,
	MSI_CTRL = 2, MSI_ENABLE = 1, MSI_64BIT = 1 << 7, MSI_MASKABLE = 1 << 8, MSI_ADDR = 4,
};

typedef struct irq_binding {
	kdriver_t *drv;        /* the claim that owns it (it lives no longer) */
	uint32_t index;        /* the driver's vector index */
	uint32_t slot;         /* the CPUs' interrupt slot */
	kobj_t *ep;            /* counted: where interrupts are posted */
	ipc_msg_t *msg;        /* the buffer for the next message; NULL while one is out */
	bool pending;          /* an interrupt came while no buffer was there */
} irq_binding_t;

/* What a binding is charged besides its block: the message buffers it can
 * have made that nobody else pays for, at most two at once (one held for
 * the next interrupt, one posted and not yet received; a received one joins
 * the receiver's or the channel's spare buffers, which are charged). */
static uint64_t messages_bytes(void) { return 2 * quota_heap_bytes(sizeof(ipc_msg_t)); }

static spinlock_t irq_lock = SPINLOCK_INIT;
static irq_binding_t *slots[ARCH_IRQ_VECTORS];

/* The MSI-X table of f, mapped once for the kernel's lifetime. irq_lock held. */
static volatile uint32_t *msix_table(pci_fn_t *f)
{
	if (!f->msix_table) {
		const pci_bar_t *b = &f->bar[f->msix_table_bar];
		if (b->len_bytes && !b->io)
			f->msix_table = kmmio_map(b->phys + f->msix_table_offset,
						  (uint64_t)f->msix_vectors * MSIX_ENTRY_WORDS * 4);
	}
	return f->msix_table;
}

static uint32_t msi_mask_reg(const pci_fn_t *f)
{
	uint16_t ctrl = (uint16_t)pci_cfg_read(f, f->msi_cap + MSI_CTRL, 2);
	return f->msi_cap + ((ctrl & MSI_64BIT) ? 16 : 12);
}

static bool msi_maskable(const pci_fn_t *f)
{
	return pci_cfg_read(f, f->msi_cap + MSI_CTRL, 2) & MSI_MASKABLE;
}

/* Mask or unmask b's vector. irq_lock held. */
static void set_masked(irq_binding_t *b, bool masked)
{
	pci_fn_t *f = b->drv->fn;
	if (f->msix_cap) {
		volatile uint32_t *e = msix_table(f) + b->index * MSIX_ENTRY_WORDS;
		e[MSIX_VECTOR_CTRL] = masked ? MSIX_MASKED : 0;
	} else if (msi_maskable(f)) {
		pci_cfg_write(f, msi_mask_reg(f), 4, masked ? 1 : 0);
	}
}

/* Post b's message, or remember the interrupt when its buffer is out or the
 * queue is full. irq_lock held. */
static void post(irq_binding_t *b)
{
	ipc_msg_t *m = b->msg;
	if (!m) {
		b->pending = true;
		return;
	}
	m->len_bytes = IRQ_MSG_BYTES;
	m->n_handles = 0;
	uint32_t words[2] = { b->index, 0 };
	__builtin_memcpy(m->data, words, sizeof words);
	if (channel_post(b->ep, m))
		b->msg = NULL;
	else
		b->pending = true;
}

void irq_dispatch(uint32_t slot)
{
	spin_lock_irqs_off(&irq_lock);
	irq_binding_t *b = slot < ARCH_IRQ_VECTORS ? slots[slot] : NULL;
	if (b) {
		set_masked(b, true);
		post(b);
	}
	spin_unlock_irqs_off(&irq_lock);
}

/* Point vector b at its slot and turn the function's MSI-X or MSI on.
 * irq_lock held. */
static void program(irq_binding_t *b)
{
	pci_fn_t *f = b->drv->fn;
	uint64_t addr;
	uint32_t data;
	arch_msi_message(b->slot, b->slot % cpu_count, &addr, &data);
	pci_cfg_write(f, PCI_CFG_COMMAND, 2, pci_cfg_read(f, PCI_CFG_COMMAND, 2) | PCI_CMD_INTX_DISABLE);
	if (f->msix_cap) {
		volatile uint32_t *e = msix_table(f) + b->index * MSIX_ENTRY_WORDS;
		e[MSIX_VECTOR_CTRL] = MSIX_MASKED;
		e[MSIX_ADDR_LO] = (uint32_t)addr;
		e[MSIX_ADDR_HI] = (uint32_t)(addr >> 32);
		e[MSIX_DATA] = data;
		uint32_t ctrl = pci_cfg_read(f, f->msix_cap + MSIX_CTRL, 2);
		pci_cfg_write(f, f->msix_cap + MSIX_CTRL, 2, (ctrl | MSIX_ENABLE) & ~(uint32_t)MSIX_FUNCTION_MASK);
		e[MSIX_VECTOR_CTRL] = 0;
		return;
	}
	uint16_t ctrl = (uint16_t)pci_cfg_read(f, f->msi_cap + MSI_CTRL, 2);
	pci_cfg_write(f, f->msi_cap + MSI_ADDR, 4, (uint32_t)addr);
	if (ctrl & MSI_64BIT) {
		pci_cfg_write(f, f->msi_cap + MSI_ADDR + 4, 4, (uint32_t)(addr >> 32));
		pci_cfg_write(f, f->msi_cap + MSI_ADDR + 8, 2, data);
	} else {
		pci_cfg_write(f, f->msi_cap + MSI_ADDR + 4, 2, data);
	}
	/* one vector: Multiple Message Enable 0 */
	pci_cfg_write(f, f->msi_cap + MSI_CTRL, 2, (ctrl & ~(uint16_t)0x70) | MSI_ENABLE);
	if (ctrl & MSI_MASKABLE)
		pci_cfg_write(f, msi_mask_reg(f), 4, 0);
}

/* Vectors the function can raise through MSI-X, or MSI (one vector). */
static uint32_t vectors_of(const pci_fn_t *f)
{
	return f->msix_cap ? f->msix_vectors : f->msi_cap ? 1 : 0;
}

/* Free b, its message buffer and their charge. */
static void free_binding(irq_binding_t *b)
{
	quota_t *q = b->drv->quota;
	heap_free(b->msg);
	quota_uncharge_object(q, messages_bytes());
	quota_free_object(q, b, sizeof *b);
}

nc_sys_err_t irq_attach(kdriver_t *d, uint32_t index, kobj_t *ep)
{
	if (index >= d->n_vectors)
		return NC_SYS_ERR_INVALID;
	if (index >= vectors_of(d->fn))
		return NC_SYS_ERR_NO_DEVICE;
	nc_sys_err_t err;
	irq_binding_t *b = quota_alloc_object(d->quota, sizeof *b, &err);
	if (!b)
		return err;
	err = quota_charge_object(d->quota, messages_bytes());
	ipc_msg_t *m = err ? NULL : heap_alloc(sizeof *m);
	if (!m) {
		if (!err)
			quota_uncharge_object(d->quota, messages_bytes());
		quota_free_object(d->quota, b, sizeof *b);
		return err ? err : NC_SYS_ERR_NO_MEMORY;
	}
	b->drv = d;
	b->index = index;
	b->ep = ep;
	b->msg = m;
	uint64_t f = spin_lock(&irq_lock);
	err = d->irq[index] ? NC_SYS_ERR_BUSY : NC_SYS_OK;
	uint32_t slot = 0;
	while (!err && slot < ARCH_IRQ_VECTORS && slots[slot])
		slot++;
	if (!err && slot == ARCH_IRQ_VECTORS)
		err = NC_SYS_ERR_LIMIT;
	if (!err && d->fn->msix_cap && !msix_table(d->fn))
		err = NC_SYS_ERR_NO_MEMORY;
	if (!err) {
		b->slot = slot;
		kobj_ref(ep);
		slots[slot] = b;
		d->irq[index] = b;
		program(b);
	}
	spin_unlock(&irq_lock, f);
	if (err)
		free_binding(b);
	return err;
}

nc_sys_err_t irq_ack(kdriver_t *d, uint32_t index)
{
	if (index >= DRIVER_VECTORS_MAX)
		return NC_SYS_ERR_INVALID;
	ipc_msg_t *spare = heap_alloc(sizeof *spare);
	uint64_t f = spin_lock(&irq_lock);
	irq_binding_t *b = d->irq[index];
	nc_sys_err_t err = !b ? NC_SYS_ERR_INVALID : NC_SYS_OK;
	if (!err && !b->msg) {
		b->msg = spare;
		spare = NULL;
		err = b->msg ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY;
	}
	if (!err && b->pending) {
		b->pending = false;
		post(b); /* the vector stays masked until the next IrqAck */
	} else if (!err) {
		set_masked(b, false);
	}
	spin_unlock(&irq_lock, f);
	heap_free(spare);
	return err;
}

void irq_release_all(kdriver_t *d)
{
	irq_binding_t *gone[DRIVER_VECTORS_MAX];
	pci_fn_t *fn = d->fn;
	uint64_t f = spin_lock(&irq_lock);
	for (uint32_t i = 0; i < DRIVER_VECTORS_MAX; i++) {
		gone[i] = d->irq[i];
		if (!gone[i])
			continue;
		set_masked(gone[i], true);
		slots[gone[i]->slot] = NULL;
		d->irq[i] = NULL;
	}
	if (fn->msix_cap) {
		volatile uint32_t *t = msix_table(fn);
		for (uint32_t i = 0; t && i < fn->msix_vectors; i++)
			t[i * MSIX_ENTRY_WORDS + MSIX_VECTOR_CTRL] = MSIX_MASKED;
		uint32_t ctrl = pci_cfg_read(fn, fn->msix_cap + MSIX_CTRL, 2);
		pci_cfg_write(fn, fn->msix_cap + MSIX_CTRL, 2, ctrl & ~(uint32_t)MSIX_ENABLE);
	} else if (fn->msi_cap) {
		uint32_t ctrl = pci_cfg_read(fn, fn->msi_cap + MSI_CTRL, 2);
		pci_cfg_write(fn, fn->msi_cap + MSI_CTRL, 2, ctrl & ~(uint32_t)MSI_ENABLE);
	}
	spin_unlock(&irq_lock, f);
	for (uint32_t i = 0; i < DRIVER_VECTORS_MAX; i++)
		if (gone[i]) {
			kobj_unref(gone[i]->ep);
			free_binding(gone[i]);
		}
}

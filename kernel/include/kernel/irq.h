/* Device interrupts for user-space drivers (docs/drivers.md). A driver binds
 * vector i of its claim (i < the manifest's irq_vectors) to a channel
 * endpoint with IrqAttach; the kernel gives the vector one of the CPUs'
 * interrupt slots, programs the function's MSI-X table entry i (or its MSI
 * capability, for a function without MSI-X and one vector) and, on each
 * interrupt, masks the vector and posts an 8-byte message (u32 vector index,
 * u32 0) on the endpoint, to be received on its peer. The vector stays masked
 * until the driver calls IrqAck, so at most one message per vector is ever
 * queued and the handler never allocates: the message buffer for the next
 * interrupt is made by IrqAttach and IrqAck.
 *
 * Locking: irq_lock guards every binding and the slot table; it is taken
 * inside a claim's lock, and the interrupt path takes it and then a channel's
 * lock. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>
#include <kernel/driver.h>
#include <nc/abi.h>

/* Bytes of the message an interrupt posts. */
enum { IRQ_MSG_BYTES = 8 };

/* Bind vector index of claim d to endpoint ep (the binding takes its own
 * reference). The binding and the message buffers it may hold are charged to
 * the claim's quota (object charges) until the claim ends. Errors: INVALID
 * (index beyond the manifest's vectors), NO_DEVICE (the function has fewer
 * vectors), BUSY (already bound), LIMIT (no free interrupt slot, or the
 * claim's quota cannot take the binding), NO_MEMORY. */
nc_sys_err_t irq_attach(kdriver_t *d, uint32_t index, kobj_t *ep);
/* Re-enable vector index of d after its message was handled. Errors: INVALID
 * (not bound), NO_MEMORY (no buffer for the next message; the vector stays
 * masked and IrqAck may be retried). */
nc_sys_err_t irq_ack(kdriver_t *d, uint32_t index);
/* Mask and unbind every vector of d and turn MSI/MSI-X off (the claim ends). */
void irq_release_all(kdriver_t *d);
/* The interrupt of slot arrived (trap code, interrupts off). */
void irq_dispatch(uint32_t slot);

#endif

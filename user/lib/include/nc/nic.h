/* The main loop every NIC driver runs (docs/network.md): attach to the
 * network service (and again whenever it comes back), follow the link,
 * take interrupts and kicks, and let the driver move frames between its
 * device and the service's rings (nc/netdev.h) until nothing moves; then
 * wait with HandleWaitAny on the interrupt channel and the service's
 * channel, at most a second (the link is read at least that often). One
 * thread; the driver's functions are called from it only. */
#ifndef NC_NIC_H
#define NC_NIC_H

#include <stdbool.h>
#include <stdint.h>
#include <nc/netdev.h>

typedef struct nc_nic nc_nic_t;

struct nc_nic {
	const char *name;                /* the driver's name ("e1000e"), in messages and the hello */
	uint32_t offloads;               /* NC_NETDEV_OFFLOAD_* the driver offers the service */
	uint8_t mac[6];
	uint64_t irq_end;                /* the receiving end of the channel IrqAttach posts to */
	nc_netdev_port_t port;           /* valid while attached */
	bool attached;
	/* the driver's parts */
	bool (*link_up)(nc_nic_t *n);
	/* Called for each interrupt message before its vector is unmasked
	 * (IrqAck): clear the device's causes. NULL: nothing to do. */
	void (*interrupt)(nc_nic_t *n, uint32_t vector);
	/* Move received frames to n->port.rx (only while attached; a full ring
	 * leaves them for later) and give buffers back; true when anything moved. */
	bool (*move_rx)(nc_nic_t *n);
	/* Reclaim sent buffers and move frames from n->port.tx to the device
	 * (nc_nic_pull_tx does the taking); true when anything moved. */
	bool (*move_tx)(nc_nic_t *n);
};

/* For move_tx: while attached and room(n, f) says the device can take
 * frame f now, hand the service's next frame to send(n, f) (its bytes are
 * valid during the call only; a large frame comes only to a driver that
 * offers NC_NETDEV_OFFLOAD_TSO4 in n->offloads, others skip it); kicks the
 * service when it waits for room, lets go of it when its ring is corrupt.
 * *sent is set when send ran; returns whether anything was taken. */
bool nc_nic_pull_tx(nc_nic_t *n, bool (*room)(nc_nic_t *n, const nc_netdev_frame_t *f),
		    void (*send)(nc_nic_t *n, const nc_netdev_frame_t *f), bool *sent);

/* Print the driver's start line (pci: the function's name, instance: the
 * device manager's), tell the device manager "ready" on control (0: none),
 * and serve for ever. */
void nc_nic_run(nc_nic_t *n, const char *pci, uint64_t control, unsigned instance) __attribute__((noreturn));
/* Let go of the service (its ring is corrupt, or it has gone); the loop
 * attaches again. */
void nc_nic_detach(nc_nic_t *n);

#endif

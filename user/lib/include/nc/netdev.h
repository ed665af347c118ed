/* The frame protocol between a network driver and the network service
 * (docs/network.md). The driver makes a channel and a shared memory window
 * (ShmCreate) holding two rings of Ethernet frames: rx (driver to service)
 * and tx (service to driver). It sends its end's peer a hello message
 * carrying the window handle, then hands that peer to the service with
 * NetAttach. From then on the channel carries only kicks (one byte, content
 * ignored): "look at the rings and the header". Link state is in the
 * header.
 *
 * A ring is a single-producer, single-consumer queue of n_slots slots of
 * slot_bytes each: the producer fills slot head % n_slots, then advances
 * head; the consumer reads slot tail % n_slots, then advances tail (both
 * free-running 32-bit counts). Lost wake-ups are impossible: a consumer
 * about to sleep sets consumer_waiting, then looks at head once more; a
 * producer, after advancing head, kicks when it finds consumer_waiting set
 * (clearing it). The same with producer_waiting and tail for a producer
 * waiting for room. Both sides read a shared value once, check it, and then
 * use their copy: each side treats the window as hostile input (a slot
 * length beyond slot_bytes, a head more than n_slots ahead: the peer broke
 * the protocol).
 *
 * Functions here are for one thread per ring side; none blocks. */
#ifndef NC_NETDEV_H
#define NC_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/syscalls.h>

enum {
	NC_NETDEV_MAGIC = 0x4e434e44,    /* "NCND" */
	NC_NETDEV_VERSION = 1,
	NC_NETDEV_SLOTS = 256,           /* slots per ring */
	NC_NETDEV_SLOT_BYTES = 2048,     /* an Ethernet frame up to 1518 bytes fits */
	NC_NETDEV_FRAME_MIN = 14,        /* an Ethernet header */
	NC_NETDEV_FRAME_MAX = 1518,      /* 1500 bytes of payload, header and a VLAN tag */
	NC_NETDEV_HELLO = 1,             /* message type */
};

typedef struct {
	volatile uint32_t head;          /* written by the producer */
	volatile uint32_t tail;          /* written by the consumer */
	volatile uint32_t consumer_waiting;
	volatile uint32_t producer_waiting;
	volatile uint16_t len[NC_NETDEV_SLOTS];
} nc_netdev_ring_t;

/* The start of the window; the slots follow at NC_NETDEV_DATA_OFFSET: rx's,
 * then tx's. */
typedef struct {
	uint32_t magic, version;
	uint32_t n_slots, slot_bytes;
	volatile uint32_t link_up;       /* written by the driver */
	uint32_t reserved;
	nc_netdev_ring_t rx, tx;
} nc_netdev_window_t;

enum {
	NC_NETDEV_DATA_OFFSET = 4096,
	NC_NETDEV_WINDOW_BYTES = NC_NETDEV_DATA_OFFSET + 2 * NC_NETDEV_SLOTS * NC_NETDEV_SLOT_BYTES,
};

/* The hello message (with one handle: the window, RIGHT_MAP | RIGHT_WRITE). */
typedef struct {
	uint32_t type;                   /* NC_NETDEV_HELLO */
	uint32_t version;                /* NC_NETDEV_VERSION */
	uint8_t mac[6];
	uint16_t mtu;                    /* bytes of IP packet (1500) */
	char driver[16];                 /* the driver's name, NUL-padded */
} nc_netdev_hello_t;

_Static_assert(sizeof(nc_netdev_window_t) <= NC_NETDEV_DATA_OFFSET, "netdev header fits its page");

/* Fill a fresh window's header (the driver). */
void nc_netdev_window_init(nc_netdev_window_t *w);
/* Whether the header of a window the peer made is one this side speaks. */
bool nc_netdev_window_valid(const nc_netdev_window_t *w);

/* One side of one ring. Its own count (the producer's head, the consumer's
 * tail) is kept here, written to the window, never read back from it. */
typedef struct {
	nc_netdev_ring_t *ring;
	uint8_t *slots;                  /* NC_NETDEV_SLOTS * NC_NETDEV_SLOT_BYTES */
	uint32_t own;
} nc_netdev_side_t;

/* The rx (rx true) or tx ring of a fresh window w (counts at 0). */
nc_netdev_side_t nc_netdev_side(nc_netdev_window_t *w, bool rx);

typedef enum {
	NC_NETDEV_OK = 0,
	NC_NETDEV_EMPTY,                 /* nothing to take */
	NC_NETDEV_FULL,                  /* no room */
	NC_NETDEV_BAD_FRAME,             /* the slot's length is outside NC_NETDEV_FRAME_MIN..MAX (skipped) */
	NC_NETDEV_BROKEN,                /* the peer's count is impossible: stop using the ring */
} nc_netdev_err_t;

/* Producer: copy frame[0..len) (NC_NETDEV_FRAME_MIN..MAX bytes) into the next
 * slot and publish it; *kick is set when the consumer waits and must be
 * kicked. Errors: NC_NETDEV_FULL (the caller may set producer_waiting and
 * retry), NC_NETDEV_BAD_FRAME (len out of range), NC_NETDEV_BROKEN. */
nc_netdev_err_t nc_netdev_put(nc_netdev_side_t *s, const void *frame, size_t len, bool *kick);
/* Consumer: the next frame's bytes and length (the slot stays the
 * consumer's until nc_netdev_done). Errors: NC_NETDEV_EMPTY,
 * NC_NETDEV_BAD_FRAME (call nc_netdev_done to skip it), NC_NETDEV_BROKEN. */
nc_netdev_err_t nc_netdev_peek(nc_netdev_side_t *s, const uint8_t **frame, size_t *len);
/* Consumer: release the slot peeked at; *kick is set when the producer
 * waits for room and must be kicked. */
void nc_netdev_done(nc_netdev_side_t *s, bool *kick);
/* Consumer about to sleep: mark it, then false if a frame came meanwhile
 * (do not sleep then: the mark is cleared). */
bool nc_netdev_may_sleep(nc_netdev_side_t *s);
/* Producer facing a full ring: mark it, then false if room came meanwhile. */
bool nc_netdev_may_wait_room(nc_netdev_side_t *s);

/* A driver's end of an attachment: its channel end, its window, and its
 * sides of the rings (rx: it produces; tx: it consumes). */
typedef struct {
	uint64_t chan;
	nc_netdev_window_t *win;
	nc_netdev_side_t rx, tx;
} nc_netdev_port_t;

/* Driver: make a window (its link state link_up) and a channel, send the
 * hello, hand the other end to the network service (NetAttach). Errors: those of ShmCreate,
 * ShmMap, IpcCreateChannel, IpcSend and NetAttach (UNAVAILABLE: no network
 * service runs; try again later); nothing is left behind on an error. */
nc_sys_err_t nc_netdev_attach(nc_netdev_port_t *p, const uint8_t mac[6], uint16_t mtu, const char *driver,
			      bool link_up);
/* Driver: close the channel and unmap the window. */
void nc_netdev_detach(nc_netdev_port_t *p);
/* Either side: kick the peer (a full channel already holds a kick). */
void nc_netdev_kick(uint64_t chan);
/* Driver: set the link state the service reads. */
void nc_netdev_set_link(nc_netdev_port_t *p, bool up);

#endif

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
 * Large frames (tx ring only, to a driver whose hello offers
 * NC_NETDEV_OFFLOAD_TSO4): a TCP/IPv4 segment longer than the MTU, to be cut
 * by the device into segments of at most mss[first slot] payload bytes (TCP
 * segmentation offload: each gets the headers with the sequence number, IP
 * identification, lengths and checksums of its place). It fills consecutive
 * slots (in ring order): every slot but the last full (slot_bytes) with
 * NC_NETDEV_LEN_MORE set in its len, the last one 1..slot_bytes; head moves
 * past all of them at once. An ordinary frame has mss 0.
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
	NC_NETDEV_VERSION = 2,
	NC_NETDEV_SLOTS = 256,           /* slots per ring */
	NC_NETDEV_SLOT_BYTES = 2048,     /* an Ethernet frame up to 1518 bytes fits */
	NC_NETDEV_FRAME_MIN = 14,        /* an Ethernet header */
	NC_NETDEV_FRAME_MAX = 1518,      /* 1500 bytes of payload, header and a VLAN tag */
	NC_NETDEV_HELLO = 1,             /* message type */
	NC_NETDEV_LEN_MORE = 0x8000,     /* len flag: the frame goes on in the next slot */
	NC_NETDEV_LARGE_MAX = 65535,     /* bytes of a large frame (headers included) */
	NC_NETDEV_LARGE_SLOTS = (NC_NETDEV_LARGE_MAX + NC_NETDEV_SLOT_BYTES - 1) / NC_NETDEV_SLOT_BYTES,
	NC_NETDEV_OFFLOAD_TSO4 = 1,      /* hello offloads: the driver takes large TCP/IPv4 frames */
};

typedef struct {
	volatile uint32_t head;          /* written by the producer */
	volatile uint32_t tail;          /* written by the consumer */
	volatile uint32_t consumer_waiting;
	volatile uint32_t producer_waiting;
	volatile uint16_t len[NC_NETDEV_SLOTS];
	volatile uint16_t mss[NC_NETDEV_SLOTS]; /* a frame's first slot: 0, or a large frame's MSS */
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
	uint32_t offloads;               /* NC_NETDEV_OFFLOAD_* the driver takes */
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
/* Producer (tx ring): frame[0..len) (more than one slot, at most
 * NC_NETDEV_LARGE_MAX bytes) as a large frame to cut into segments of mss
 * (1..NC_NETDEV_FRAME_MAX) payload bytes. Errors as nc_netdev_put's (FULL:
 * fewer free slots than the frame needs). */
nc_netdev_err_t nc_netdev_put_large(nc_netdev_side_t *s, const void *frame, size_t len, uint16_t mss, bool *kick);

/* A frame as the consumer sees it: its slots' bytes, in order. */
typedef struct {
	const uint8_t *piece[NC_NETDEV_LARGE_SLOTS];
	uint16_t piece_len[NC_NETDEV_LARGE_SLOTS];
	uint32_t n_pieces;               /* slots it takes (1: an ordinary frame) */
	size_t len;                      /* bytes in all */
	uint16_t mss;                    /* 0, or a large frame's segment size */
} nc_netdev_frame_t;

/* Consumer: the next frame's bytes and length (the slot stays the
 * consumer's until nc_netdev_done). A large frame's first slot is
 * NC_NETDEV_BAD_FRAME here. Errors: NC_NETDEV_EMPTY, NC_NETDEV_BAD_FRAME
 * (call nc_netdev_done to skip it), NC_NETDEV_BROKEN. */
nc_netdev_err_t nc_netdev_peek(nc_netdev_side_t *s, const uint8_t **frame, size_t *len);
/* Consumer: the next frame, ordinary or large (its slots stay the
 * consumer's until nc_netdev_done_frame). Errors: NC_NETDEV_EMPTY,
 * NC_NETDEV_BAD_FRAME (f->n_pieces is how many slots to skip with
 * nc_netdev_done_frame: a slot whose length or flags are out of range, a
 * large frame without a valid mss or longer than NC_NETDEV_LARGE_MAX),
 * NC_NETDEV_BROKEN (a large frame's slots beyond head). */
nc_netdev_err_t nc_netdev_peek_frame(nc_netdev_side_t *s, nc_netdev_frame_t *f);
/* Consumer: release the slot peeked at; *kick is set when the producer
 * waits for room and must be kicked. */
void nc_netdev_done(nc_netdev_side_t *s, bool *kick);
/* Consumer: release the n_pieces slots of the frame peeked at. */
void nc_netdev_done_frame(nc_netdev_side_t *s, const nc_netdev_frame_t *f, bool *kick);
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
 * hello (offering offloads, NC_NETDEV_OFFLOAD_* bits), hand the other end to
 * the network service (NetAttach). Errors: those of ShmCreate,
 * ShmMap, IpcCreateChannel, IpcSend and NetAttach (UNAVAILABLE: no network
 * service runs; try again later); nothing is left behind on an error. */
nc_sys_err_t nc_netdev_attach(nc_netdev_port_t *p, const uint8_t mac[6], uint16_t mtu, const char *driver,
			      uint32_t offloads, bool link_up);
/* Driver: close the channel and unmap the window. */
void nc_netdev_detach(nc_netdev_port_t *p);
/* Either side: kick the peer (a full channel already holds a kick). */
void nc_netdev_kick(uint64_t chan);
/* Driver: set the link state the service reads. */
void nc_netdev_set_link(nc_netdev_port_t *p, bool up);

#endif

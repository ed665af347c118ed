/* The frame rings shared by network drivers and the network service
 * (nc/netdev.h). Ordering: x86-64 keeps stores in order and loads in order,
 * so a release store of head after the slot's bytes and an acquire load of
 * head before them suffice for the data; the waiting flags need a full
 * fence between one side's store and its load of the other's count
 * (Dekker), which __atomic_thread_fence(SEQ_CST) gives (mfence). */
#include <nc/mem.h>
#include <nc/netdev.h>

void nc_netdev_window_init(nc_netdev_window_t *w)
{
	nc_mem_set(w, 0, sizeof *w);
	w->magic = NC_NETDEV_MAGIC;
	w->version = NC_NETDEV_VERSION;
	w->n_slots = NC_NETDEV_SLOTS;
	w->slot_bytes = NC_NETDEV_SLOT_BYTES;
}

bool nc_netdev_window_valid(const nc_netdev_window_t *w)
{
	return w->magic == NC_NETDEV_MAGIC && w->version == NC_NETDEV_VERSION && w->n_slots == NC_NETDEV_SLOTS &&
	       w->slot_bytes == NC_NETDEV_SLOT_BYTES;
}

nc_netdev_side_t nc_netdev_side(nc_netdev_window_t *w, bool rx)
{
	uint8_t *data = (uint8_t *)w + NC_NETDEV_DATA_OFFSET;
	return (nc_netdev_side_t){ rx ? &w->rx : &w->tx,
				   data + (rx ? 0 : (size_t)NC_NETDEV_SLOTS * NC_NETDEV_SLOT_BYTES), 0 };
}

static uint32_t load(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* After publishing: kick if the other side waits (and clear its mark). */
static bool take_waiting(volatile uint32_t *flag)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!load(flag))
		return false;
	store(flag, 0);
	return true;
}

nc_netdev_err_t nc_netdev_put(nc_netdev_side_t *s, const void *frame, size_t len, bool *kick)
{
	*kick = false;
	if (len < NC_NETDEV_FRAME_MIN || len > NC_NETDEV_FRAME_MAX)
		return NC_NETDEV_BAD_FRAME;
	uint32_t head = s->own, tail = load(&s->ring->tail);
	if (head - tail > NC_NETDEV_SLOTS)
		return NC_NETDEV_BROKEN;
	if (head - tail == NC_NETDEV_SLOTS)
		return NC_NETDEV_FULL;
	uint32_t i = head % NC_NETDEV_SLOTS;
	nc_mem_copy(s->slots + (size_t)i * NC_NETDEV_SLOT_BYTES, frame, len);
	s->ring->len[i] = (uint16_t)len;
	s->ring->mss[i] = 0;
	s->own = head + 1;
	store(&s->ring->head, s->own);
	*kick = take_waiting(&s->ring->consumer_waiting);
	return NC_NETDEV_OK;
}

nc_netdev_err_t nc_netdev_put_large(nc_netdev_side_t *s, const void *frame, size_t len, uint16_t mss, bool *kick)
{
	*kick = false;
	if (len <= NC_NETDEV_SLOT_BYTES || len > NC_NETDEV_LARGE_MAX || !mss || mss > NC_NETDEV_FRAME_MAX)
		return NC_NETDEV_BAD_FRAME;
	uint32_t n = (uint32_t)((len + NC_NETDEV_SLOT_BYTES - 1) / NC_NETDEV_SLOT_BYTES);
	uint32_t head = s->own, tail = load(&s->ring->tail);
	if (head - tail > NC_NETDEV_SLOTS)
		return NC_NETDEV_BROKEN;
	if (NC_NETDEV_SLOTS - (head - tail) < n)
		return NC_NETDEV_FULL;
	const uint8_t *from = frame;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = (head + k) % NC_NETDEV_SLOTS;
		size_t piece = k + 1 < n ? NC_NETDEV_SLOT_BYTES : len - (size_t)k * NC_NETDEV_SLOT_BYTES;
		nc_mem_copy(s->slots + (size_t)i * NC_NETDEV_SLOT_BYTES, from + (size_t)k * NC_NETDEV_SLOT_BYTES, piece);
		s->ring->len[i] = (uint16_t)(k + 1 < n ? piece | NC_NETDEV_LEN_MORE : piece);
		s->ring->mss[i] = k ? 0 : mss;
	}
	s->own = head + n;
	store(&s->ring->head, s->own);
	*kick = take_waiting(&s->ring->consumer_waiting);
	return NC_NETDEV_OK;
}

nc_netdev_err_t nc_netdev_peek(nc_netdev_side_t *s, const uint8_t **frame, size_t *len)
{
	uint32_t tail = s->own, head = load(&s->ring->head);
	if (head - tail > NC_NETDEV_SLOTS)
		return NC_NETDEV_BROKEN;
	if (head == tail)
		return NC_NETDEV_EMPTY;
	uint32_t i = tail % NC_NETDEV_SLOTS;
	size_t n = s->ring->len[i];
	if (n < NC_NETDEV_FRAME_MIN || n > NC_NETDEV_FRAME_MAX)
		return NC_NETDEV_BAD_FRAME;
	*frame = s->slots + (size_t)i * NC_NETDEV_SLOT_BYTES;
	*len = n;
	return NC_NETDEV_OK;
}

/* A large frame from slot tail on (the first slot's len has the MORE flag). */
static nc_netdev_err_t peek_large(nc_netdev_side_t *s, uint32_t tail, uint32_t head, nc_netdev_frame_t *f)
{
	f->mss = s->ring->mss[tail % NC_NETDEV_SLOTS];
	for (;;) {
		if (f->n_pieces == head - tail)
			return NC_NETDEV_BROKEN; /* the producer publishes a frame's slots at once */
		uint32_t i = (tail + f->n_pieces) % NC_NETDEV_SLOTS;
		uint16_t n = s->ring->len[i];
		bool more = n & NC_NETDEV_LEN_MORE;
		n &= (uint16_t)~NC_NETDEV_LEN_MORE;
		if (f->n_pieces == NC_NETDEV_LARGE_SLOTS || (more && n != NC_NETDEV_SLOT_BYTES) || !n ||
		    n > NC_NETDEV_SLOT_BYTES) {
			f->n_pieces++;
			return NC_NETDEV_BAD_FRAME;
		}
		f->piece[f->n_pieces] = s->slots + (size_t)i * NC_NETDEV_SLOT_BYTES;
		f->piece_len[f->n_pieces++] = n;
		f->len += n;
		if (!more)
			break;
	}
	if (f->len > NC_NETDEV_LARGE_MAX || !f->mss || f->mss > NC_NETDEV_FRAME_MAX)
		return NC_NETDEV_BAD_FRAME;
	return NC_NETDEV_OK;
}

nc_netdev_err_t nc_netdev_peek_frame(nc_netdev_side_t *s, nc_netdev_frame_t *f)
{
	f->n_pieces = 0;
	f->len = 0;
	f->mss = 0;
	uint32_t tail = s->own, head = load(&s->ring->head);
	if (head - tail > NC_NETDEV_SLOTS)
		return NC_NETDEV_BROKEN;
	if (head == tail)
		return NC_NETDEV_EMPTY;
	if (s->ring->len[tail % NC_NETDEV_SLOTS] & NC_NETDEV_LEN_MORE)
		return peek_large(s, tail, head, f);
	f->n_pieces = 1;
	size_t n = 0;
	nc_netdev_err_t e = nc_netdev_peek(s, &f->piece[0], &n);
	f->piece_len[0] = (uint16_t)n;
	f->len = n;
	return e;
}

void nc_netdev_done(nc_netdev_side_t *s, bool *kick)
{
	s->own++;
	store(&s->ring->tail, s->own);
	*kick = take_waiting(&s->ring->producer_waiting);
}

void nc_netdev_done_frame(nc_netdev_side_t *s, const nc_netdev_frame_t *f, bool *kick)
{
	s->own += f->n_pieces ? f->n_pieces : 1;
	store(&s->ring->tail, s->own);
	*kick = take_waiting(&s->ring->producer_waiting);
}

bool nc_netdev_may_sleep(nc_netdev_side_t *s)
{
	store(&s->ring->consumer_waiting, 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (load(&s->ring->head) == s->own)
		return true;
	store(&s->ring->consumer_waiting, 0);
	return false;
}

bool nc_netdev_may_wait_room(nc_netdev_side_t *s)
{
	store(&s->ring->producer_waiting, 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (s->own - load(&s->ring->tail) >= NC_NETDEV_SLOTS)
		return true;
	store(&s->ring->producer_waiting, 0);
	return false;
}

nc_sys_err_t nc_netdev_attach(nc_netdev_port_t *p, const uint8_t mac[6], uint16_t mtu, const char *driver,
			      uint32_t offloads, bool link_up)
{
	uint64_t shm, addr = 0, c[2] = { 0, 0 };
	nc_sys_err_t err = nc_sys_shm_create(NC_NETDEV_WINDOW_BYTES, &shm);
	if (err)
		return err;
	err = nc_sys_shm_map(shm, 0, 0, NC_NETDEV_WINDOW_BYTES, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr);
	if (!err) {
		p->win = (nc_netdev_window_t *)addr;
		nc_netdev_window_init(p->win);
		p->win->link_up = link_up;
		p->rx = nc_netdev_side(p->win, true);
		p->tx = nc_netdev_side(p->win, false);
		err = nc_sys_ipc_create_channel(c);
	}
	nc_netdev_hello_t hello = { .type = NC_NETDEV_HELLO, .version = NC_NETDEV_VERSION, .mtu = mtu,
				    .offloads = offloads };
	nc_mem_copy(hello.mac, mac, 6);
	for (size_t i = 0; driver[i] && i < sizeof hello.driver - 1; i++)
		hello.driver[i] = driver[i];
	if (!err)
		err = nc_sys_ipc_send(c[0], &hello, sizeof hello, &shm, 1, 0); /* the window's handle moves */
	if (err)
		nc_sys_handle_close(shm);
	if (!err)
		err = nc_sys_net_attach(c[1]); /* c[1] moves, or is closed on an error */
	else if (c[1])
		nc_sys_handle_close(c[1]);
	if (err) {
		if (c[0])
			nc_sys_handle_close(c[0]);
		if (addr)
			nc_sys_mem_unmap(addr, NC_NETDEV_WINDOW_BYTES);
		return err;
	}
	p->chan = c[0];
	return NC_SYS_OK;
}

void nc_netdev_detach(nc_netdev_port_t *p)
{
	nc_sys_handle_close(p->chan);
	nc_sys_mem_unmap((uint64_t)p->win, NC_NETDEV_WINDOW_BYTES);
	p->chan = 0;
	p->win = NULL;
}

void nc_netdev_kick(uint64_t chan)
{
	uint8_t b = 0;
	(void)nc_sys_ipc_send(chan, &b, 1, NULL, 0, 0);
}

void nc_netdev_set_link(nc_netdev_port_t *p, bool up)
{
	store(&p->win->link_up, up);
}

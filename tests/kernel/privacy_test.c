/* Tokenization at the boundary, kernel side (kernel/privacy.h): a
 * process's session is charged to its quota and given back; the stream
 * relay maps a token split over three messages back to its value and never
 * sends part of a token; the end message comes after everything held; a
 * reader gone or the process ended ends the relay (PEER_CLOSED); a holder
 * of privacy.raw gets no session. The AI path end to end:
 * tests/user/ai/ai_privacy.c. */
#include "nc_test.h"
#include "tproc.h"
#include <kernel/channel.h>
#include <kernel/handle.h>
#include <kernel/privacy.h>
#include <kernel/quota.h>
#include <nc/mem.h>

static const char text[] = "write to alice@example.com now";

/* Send kind and data[0..len) on ep. */
static nc_sys_err_t send(kobj_t *ep, uint8_t kind, const char *data, size_t len)
{
	ipc_msg_t *m = channel_msg_alloc(ep);
	if (!m)
		return NC_SYS_ERR_NO_MEMORY;
	m->data[0] = kind;
	nc_mem_copy(m->data + 1, data, len);
	m->len_bytes = (uint32_t)len + 1;
	nc_sys_err_t err = channel_send(ep, m, UINT64_MAX);
	if (err)
		channel_msg_free(ep, m);
	return err;
}

typedef struct {
	process_t *p;
	bool done;
} ctx_t;

static void relay_body(void *arg)
{
	ctx_t *c = arg;
	quota_t *q = c->p->quota;
	uint64_t used = quota_stats(q).used_bytes;
	kpsess_t *s = NULL, *raw = (kpsess_t *)1;
	/* tproc holds init's root set, privacy.raw among it: no session */
	NC_CHECK_EQ(kpsess_for_call("m", 1, &raw), NC_SYS_OK);
	NC_CHECK(raw == NULL);
	NC_CHECK_EQ(kpsess_of(c->p, &s), NC_SYS_OK);
	NC_CHECK(quota_stats(q).used_bytes >= used + KPRIVACY_ARENA_BYTES);
	char tok[128];
	size_t n;
	NC_CHECK_EQ(kpsess_out(s, text, sizeof text - 1, tok, sizeof tok, &n), NC_SYS_OK);
	NC_CHECK(n == sizeof text - 1 - 17 + 14 && !nc_mem_compare(tok, "write to <email:", 16));
	kobj_t *a, *b, *svc;
	NC_CHECK_EQ(channel_create(&a, &b), NC_SYS_OK);
	NC_CHECK_EQ(kprivacy_relay_open(s, a, &svc), NC_SYS_OK);
	/* "write to " | "<emai" | "l:hhhhhh> now": the token split after 5 bytes */
	NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_TOKEN, tok, 9), NC_SYS_OK);
	NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_TOKEN, tok + 9, 5), NC_SYS_OK);
	NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_TOKEN, tok + 14, n - 14), NC_SYS_OK);
	NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_END, "end", 3), NC_SYS_OK);
	char got[128];
	size_t got_len = 0;
	for (;;) {
		ipc_msg_t *m;
		NC_CHECK_EQ(channel_receive(b, NC_SYS_IPC_MSG_MAX_BYTES, 0, handle_table_current(), UINT64_MAX, &m),
			    NC_SYS_OK);
		uint8_t kind = m->data[0];
		bool part = false;
		for (uint32_t i = 1; i < m->len_bytes; i++)
			part |= m->data[i] == '<';
		if (kind == NC_SYS_AI_MSG_TOKEN && got_len + m->len_bytes - 1 <= sizeof got) {
			nc_mem_copy(got + got_len, m->data + 1, m->len_bytes - 1);
			got_len += m->len_bytes - 1;
		}
		bool end_ok = kind != NC_SYS_AI_MSG_END || (m->len_bytes == 4 && !nc_mem_compare(m->data + 1, "end", 3));
		channel_msg_free(b, m);
		NC_CHECK(!part && end_ok);
		if (kind == NC_SYS_AI_MSG_END)
			break;
	}
	NC_CHECK(got_len == sizeof text - 1 && !nc_mem_compare(got, text, got_len));
	/* the reader gone: the service's next send fails */
	kobj_unref(b);
	NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_TOKEN, "x", 1), NC_SYS_ERR_PEER_CLOSED);
	kobj_unref(svc);
	kobj_unref(a);
	/* the process ended: its session is wiped, a relay still open ends */
	NC_CHECK_EQ(channel_create(&a, &b), NC_SYS_OK);
	NC_CHECK_EQ(kprivacy_relay_open(s, a, &svc), NC_SYS_OK);
	kprivacy_process_ended(c->p);
	for (int i = 0; i < 4; i++) /* and stays ended, whatever the service sends */
		NC_CHECK_EQ(send(svc, NC_SYS_AI_MSG_TOKEN, tok, n), NC_SYS_ERR_PEER_CLOSED);
	NC_CHECK_EQ(kpsess_out(s, text, sizeof text - 1, tok, sizeof tok, &n), NC_SYS_ERR_INVALID);
	kobj_unref(svc);
	kobj_unref(a);
	kobj_unref(b);
	kpsess_put(s);
	NC_CHECK_EQ(quota_stats(q).used_bytes, used);
	c->done = true;
}

NC_TEST(privacy, stream_relay_maps_split_tokens_and_session_is_charged)
{
	ctx_t c = { tproc_create(), false };
	NC_CHECK(c.p != NULL);
	NC_CHECK(tproc_run(c.p, relay_body, &c));
	tproc_destroy(c.p);
	NC_CHECK(c.done);
}

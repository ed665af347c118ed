/* Input devices (nc/input.h): the session hands the compositor the event
 * channel of each input driver it starts (DESK_CTL_INPUT); keys go to
 * wm_key, pointer reports to wm_pointer. All pointing devices move the one
 * pointer. A device that breaks the protocol
 * is forgotten (its channel closed), as is one whose driver ends. */
#include "compositor.h"
#include <nc/input.h>

typedef struct {
	bool used, described;
	uint64_t ch;
	nc_input_pointer_t ptr;
} input_dev_t;

static input_dev_t devs[INPUTS_MAX];

bool input_add(uint64_t ch)
{
	for (int i = 0; i < INPUTS_MAX; i++)
		if (!devs[i].used) {
			if (nc_inbox_watch(&desk.inbox, ch, TAG_FIRST_INPUT + (uint32_t)i))
				return false;
			devs[i] = (input_dev_t){ .used = true, .ch = ch };
			desk.n_inputs++;
			return true;
		}
	return false;
}

static void forget(input_dev_t *d, uint32_t tag, bool closed)
{
	if (!closed)
		nc_inbox_unwatch(&desk.inbox, tag);
	nc_sys_handle_close(d->ch);
	d->used = false;
	desk.n_inputs--;
}

static void event(input_dev_t *d, const nc_input_event_t *e)
{
	if (e->type == NC_EV_KEY && e->code < NC_INPUT_FIRST_BUTTON) {
		wm_key(e->code, (uint8_t)(e->value ? 1 : 0));
		return;
	}
	nc_input_report_t r = { desk.px, desk.py, 0, 0 };
	if (!nc_input_pointer_event(&d->ptr, e, desk.back.w, desk.back.h, &r))
		return;
	/* a button is down while any device holds it (QEMU may send a tablet's
	 * motion and a mouse's buttons) */
	for (int i = 0; i < INPUTS_MAX; i++)
		if (devs[i].used && devs[i].described)
			r.buttons |= devs[i].ptr.buttons;
	wm_pointer(r.x, r.y, r.buttons, r.wheel);
}

void input_message(uint32_t tag, const nc_inbox_msg_t *m)
{
	input_dev_t *d = &devs[tag - TAG_FIRST_INPUT];
	for (uint32_t i = 0; i < m->n_handles; i++)
		nc_sys_handle_close(m->handles[i]);
	if (!d->used)
		return;
	uint32_t type = m->closed || m->n_handles ? 0 : nc_input_message_check(m->data, m->len);
	if (type == NC_INPUT_MSG_DEVICE && !d->described) {
		nc_input_pointer_init(&d->ptr, (const nc_input_device_t *)m->data);
		d->described = true;
	} else if (type == NC_INPUT_MSG_EVENTS && d->described) {
		const nc_input_events_t *b = (const nc_input_events_t *)m->data;
		for (uint32_t i = 0; i < b->n; i++)
			event(d, &b->ev[i]);
		desk.input_events += b->n;
	} else {
		forget(d, tag, m->closed);
	}
}

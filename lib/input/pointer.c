/* The input protocol's checks and the pointer (see nc/input.h). */
#include <nc/input.h>

enum { BTN_LEFT = 0x110, BTN_RIGHT = 0x111, BTN_MIDDLE = 0x112 };

uint32_t nc_input_message_check(const void *data, size_t len)
{
	if (len < 8)
		return 0;
	const uint32_t *w = data;
	if (w[0] == NC_INPUT_MSG_DEVICE && len == sizeof(nc_input_device_t)) {
		const nc_input_device_t *d = data;
		bool named = false;
		for (size_t i = 0; i < sizeof d->name; i++)
			named |= d->name[i] == 0;
		bool ranges = !(d->has & NC_INPUT_HAS_ABS) ||
			      (d->abs_min[0] < d->abs_max[0] && d->abs_min[1] < d->abs_max[1]);
		return named && ranges ? NC_INPUT_MSG_DEVICE : 0;
	}
	if (w[0] == NC_INPUT_MSG_EVENTS && w[1] >= 1 && w[1] <= NC_INPUT_BATCH_MAX &&
	    len == 8 + w[1] * sizeof(nc_input_event_t))
		return NC_INPUT_MSG_EVENTS;
	return 0;
}

void nc_input_pointer_init(nc_input_pointer_t *p, const nc_input_device_t *dev)
{
	*p = (nc_input_pointer_t){ .abs = (dev->has & NC_INPUT_HAS_ABS) != 0 };
	for (int i = 0; i < 2; i++) {
		p->abs_min[i] = dev->abs_min[i];
		p->abs_max[i] = dev->abs_max[i];
	}
}

static int clamp(int64_t v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

/* Absolute value v of axis i onto 0..size-1, rounded to the nearest pixel. */
static int scale(const nc_input_pointer_t *p, int i, int32_t v, int size)
{
	int64_t span = (int64_t)p->abs_max[i] - p->abs_min[i], off = (int64_t)v - p->abs_min[i];
	return clamp((off * (size - 1) + span / 2) / span, 0, size - 1);
}

static uint8_t button_bit(uint16_t code)
{
	return code == BTN_LEFT ? NC_INPUT_BUTTON_LEFT : code == BTN_RIGHT ? NC_INPUT_BUTTON_RIGHT
		: code == BTN_MIDDLE ? NC_INPUT_BUTTON_MIDDLE : 0;
}

bool nc_input_pointer_event(nc_input_pointer_t *p, const nc_input_event_t *e, int w, int h, nc_input_report_t *r)
{
	switch (e->type) {
	case NC_EV_KEY:
		if (button_bit(e->code)) {
			uint8_t b = button_bit(e->code);
			p->buttons = e->value ? p->buttons | b : p->buttons & (uint8_t)~b;
			p->changed = true;
		}
		return false;
	case NC_EV_REL:
		if (e->code == NC_REL_X || e->code == NC_REL_Y)
			p->rel[e->code] += e->value;
		else if (e->code == NC_REL_WHEEL)
			p->wheel += e->value;
		else
			return false;
		p->changed = true;
		return false;
	case NC_EV_ABS:
		if (p->abs && (e->code == NC_ABS_X || e->code == NC_ABS_Y)) {
			p->abs_at[e->code] = e->value;
			p->abs_seen[e->code] = true;
			p->abs_moved = p->changed = true;
		}
		return false;
	case NC_EV_SYN:
		if (e->code != NC_SYN_REPORT || !p->changed)
			return false;
		break;
	default:
		return false;
	}
	int size[2] = { w, h }, at[2] = { r->x, r->y };
	for (int i = 0; i < 2; i++) {
		if (p->abs_moved && p->abs_seen[i])
			at[i] = scale(p, i, p->abs_at[i], size[i]);
		at[i] = clamp((int64_t)at[i] + p->rel[i], 0, size[i] - 1);
		p->rel[i] = 0;
	}
	r->x = at[0];
	r->y = at[1];
	r->buttons = p->buttons;
	r->wheel = p->wheel;
	p->wheel = 0;
	p->abs_moved = p->changed = false;
	return true;
}

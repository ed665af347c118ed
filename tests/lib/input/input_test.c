/* lib/input: the protocol's message checks and the pointer: a tablet's
 * absolute axes scaled onto the screen (values worked out by hand for
 * QEMU's 0..32767 range on 1280x800), a mouse's relative motion from where
 * the pointer is, clamped at the edges, buttons, the wheel, and reports only
 * at SYN_REPORT after a change. */
#include "nc_test.h"
#include <nc/input.h>
#include <nc/mem.h>

static nc_input_device_t device(uint32_t has, int32_t min, int32_t max)
{
	nc_input_device_t d;
	nc_mem_set(&d, 0, sizeof d);
	d.msg = NC_INPUT_MSG_DEVICE;
	d.has = has;
	d.abs_min[0] = d.abs_min[1] = min;
	d.abs_max[0] = d.abs_max[1] = max;
	nc_mem_copy(d.name, "test", 5);
	return d;
}

static const nc_input_event_t SYN = { NC_EV_SYN, NC_SYN_REPORT, 0 };

/* Feed events, then a SYN_REPORT; whether it reported, with *r updated. */
static bool feed(nc_input_pointer_t *p, const nc_input_event_t *ev, int n, nc_input_report_t *r)
{
	for (int i = 0; i < n; i++)
		if (nc_input_pointer_event(p, &ev[i], 1280, 800, r))
			return false; /* only SYN_REPORT may report */
	return nc_input_pointer_event(p, &SYN, 1280, 800, r);
}

NC_TEST(input, tablet_scales_to_the_screen)
{
	nc_input_device_t d = device(NC_INPUT_HAS_ABS | NC_INPUT_HAS_KEYS, 0, 32767);
	nc_input_pointer_t p;
	nc_input_pointer_init(&p, &d);
	static const struct { int32_t vx, vy; int x, y; } cases[] = {
		{ 0, 0, 0, 0 }, { 32767, 32767, 1279, 799 }, { 16384, 8192, 640, 200 }, { 13, 1, 1, 0 },
		{ 40000, -5, 1279, 0 }, /* outside the range: clamped */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		nc_input_event_t ev[2] = { { NC_EV_ABS, NC_ABS_X, cases[i].vx }, { NC_EV_ABS, NC_ABS_Y, cases[i].vy } };
		nc_input_report_t r = { 500, 500, 0, 0 };
		NC_CHECK(feed(&p, ev, 2, &r));
		NC_CHECK_EQ(r.x, cases[i].x);
		NC_CHECK_EQ(r.y, cases[i].y);
	}
	/* one axis only: the other keeps its last absolute value */
	nc_input_event_t only_x = { NC_EV_ABS, NC_ABS_X, 0 };
	nc_input_report_t r = { 7, 9, 0, 0 };
	NC_CHECK(feed(&p, &only_x, 1, &r));
	NC_CHECK_EQ(r.x, 0);
	NC_CHECK_EQ(r.y, 0); /* the last case's y (-5, clamped) */
}

NC_TEST(input, negative_range_and_first_axis)
{
	nc_input_device_t d = device(NC_INPUT_HAS_ABS, -100, 100);
	nc_input_pointer_t p;
	nc_input_pointer_init(&p, &d);
	/* before any Y value, the pointer keeps its y */
	nc_input_event_t x0 = { NC_EV_ABS, NC_ABS_X, 0 };
	nc_input_report_t r = { 3, 33, 0, 0 };
	NC_CHECK(feed(&p, &x0, 1, &r));
	NC_CHECK_EQ(r.x, 640); /* (0 + 100) * 1279 / 200 = 639.5, rounded up */
	NC_CHECK_EQ(r.y, 33);
	nc_input_event_t ymin = { NC_EV_ABS, NC_ABS_Y, -100 };
	NC_CHECK(feed(&p, &ymin, 1, &r));
	NC_CHECK_EQ(r.y, 0);
}

NC_TEST(input, mouse_moves_from_the_pointer_and_clamps)
{
	nc_input_device_t d = device(NC_INPUT_HAS_REL | NC_INPUT_HAS_KEYS, 0, 0);
	nc_input_pointer_t p;
	nc_input_pointer_init(&p, &d);
	nc_input_event_t ev[3] = { { NC_EV_REL, NC_REL_X, 40 }, { NC_EV_REL, NC_REL_Y, -25 }, { NC_EV_REL, NC_REL_X, 2 } };
	nc_input_report_t r = { 100, 100, 0, 0 };
	NC_CHECK(feed(&p, ev, 3, &r));
	NC_CHECK_EQ(r.x, 142);
	NC_CHECK_EQ(r.y, 75);
	nc_input_event_t far[2] = { { NC_EV_REL, NC_REL_X, -100000 }, { NC_EV_REL, NC_REL_Y, 100000 } };
	NC_CHECK(feed(&p, far, 2, &r));
	NC_CHECK_EQ(r.x, 0);
	NC_CHECK_EQ(r.y, 799);
	/* motion is not kept for the next report */
	nc_input_event_t wheel = { NC_EV_REL, NC_REL_WHEEL, -1 };
	NC_CHECK(feed(&p, &wheel, 1, &r));
	NC_CHECK_EQ(r.x, 0);
	NC_CHECK_EQ(r.y, 799);
	NC_CHECK_EQ(r.wheel, -1);
	/* absolute events from a device without absolute axes are ignored */
	nc_input_event_t abs = { NC_EV_ABS, NC_ABS_X, 5 };
	NC_CHECK(!feed(&p, &abs, 1, &r));
}

NC_TEST(input, buttons_wheel_and_reports)
{
	nc_input_device_t d = device(NC_INPUT_HAS_REL | NC_INPUT_HAS_KEYS, 0, 0);
	nc_input_pointer_t p;
	nc_input_pointer_init(&p, &d);
	nc_input_report_t r = { 10, 10, 0, 0 };
	NC_CHECK(!nc_input_pointer_event(&p, &SYN, 1280, 800, &r)); /* nothing changed */
	nc_input_event_t left = { NC_EV_KEY, 0x110, 1 }, right = { NC_EV_KEY, 0x111, 1 }, mid = { NC_EV_KEY, 0x112, 1 };
	NC_CHECK(feed(&p, &left, 1, &r));
	NC_CHECK_EQ(r.buttons, NC_INPUT_BUTTON_LEFT);
	nc_input_event_t two[2] = { right, mid };
	NC_CHECK(feed(&p, two, 2, &r));
	NC_CHECK_EQ(r.buttons, NC_INPUT_BUTTON_LEFT | NC_INPUT_BUTTON_RIGHT | NC_INPUT_BUTTON_MIDDLE);
	left.value = 0;
	NC_CHECK(feed(&p, &left, 1, &r));
	NC_CHECK_EQ(r.buttons, NC_INPUT_BUTTON_RIGHT | NC_INPUT_BUTTON_MIDDLE);
	NC_CHECK_EQ(r.wheel, 0);
	/* keys and other buttons are not the pointer's */
	nc_input_event_t key_a = { NC_EV_KEY, 30, 1 }, side = { NC_EV_KEY, 0x113, 1 };
	NC_CHECK(!feed(&p, &key_a, 1, &r));
	NC_CHECK(!feed(&p, &side, 1, &r));
	/* wheel notches add up within a report */
	nc_input_event_t w2[2] = { { NC_EV_REL, NC_REL_WHEEL, 1 }, { NC_EV_REL, NC_REL_WHEEL, 2 } };
	NC_CHECK(feed(&p, w2, 2, &r));
	NC_CHECK_EQ(r.wheel, 3);
	NC_CHECK_EQ(r.x, 10);
}

NC_TEST(input, message_checks)
{
	nc_input_device_t d = device(NC_INPUT_HAS_ABS, 0, 32767);
	NC_CHECK_EQ(nc_input_message_check(&d, sizeof d), NC_INPUT_MSG_DEVICE);
	NC_CHECK_EQ(nc_input_message_check(&d, sizeof d - 1), 0u);
	d.abs_max[1] = 0; /* an empty range */
	NC_CHECK_EQ(nc_input_message_check(&d, sizeof d), 0u);
	d.has = NC_INPUT_HAS_REL; /* ranges do not matter without absolute axes */
	NC_CHECK_EQ(nc_input_message_check(&d, sizeof d), NC_INPUT_MSG_DEVICE);
	nc_mem_set(d.name, 'x', sizeof d.name); /* no NUL */
	NC_CHECK_EQ(nc_input_message_check(&d, sizeof d), 0u);

	nc_input_events_t b;
	nc_mem_set(&b, 0, sizeof b);
	b.msg = NC_INPUT_MSG_EVENTS;
	b.n = 3;
	NC_CHECK_EQ(nc_input_message_check(&b, 8 + 3 * sizeof(nc_input_event_t)), NC_INPUT_MSG_EVENTS);
	NC_CHECK_EQ(nc_input_message_check(&b, 8 + 2 * sizeof(nc_input_event_t)), 0u);
	NC_CHECK_EQ(nc_input_message_check(&b, sizeof b), 0u);
	b.n = NC_INPUT_BATCH_MAX;
	NC_CHECK_EQ(nc_input_message_check(&b, sizeof b), NC_INPUT_MSG_EVENTS);
	NC_CHECK(sizeof b <= 248); /* fits an inbox message */
	b.n = 0;
	NC_CHECK_EQ(nc_input_message_check(&b, 8), 0u);
	b.n = NC_INPUT_BATCH_MAX + 1;
	NC_CHECK_EQ(nc_input_message_check(&b, 8 + (NC_INPUT_BATCH_MAX + 1) * sizeof(nc_input_event_t)), 0u);
	uint32_t other[2] = { 7, 0 };
	NC_CHECK_EQ(nc_input_message_check(other, sizeof other), 0u);
	NC_CHECK_EQ(nc_input_message_check(other, 4), 0u);
}

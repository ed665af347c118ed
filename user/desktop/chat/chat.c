/* chat: the AI chat window (docs/desktop.md). A transcript above an input
 * line: Enter sends the line as a prompt to a text model with AiStream (the
 * engine's default sampling, CHAT_TOKENS tokens at most) and the tokens are
 * appended to the transcript as they arrive; the prompt is shown as "> " and
 * the line. The model is the argument, or the first text model AiModelList
 * shows; the title says which, and after a reply how many tokens came (or
 * "failed", the transcript then saying why: e.g. DENIED without ai.invoke on
 * the model, NOT_FOUND for a model the store lacks). While a reply is
 * generated, keys other than Escape (which stops it) are ignored; closing the
 * window stops it too. Handles: 1 its connection, 2 fs.read on /fonts, 3
 * ai.invoke (the models it may use): no files, no network. */
#include <nc/ai_client.h>
#include <nc/desktop.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/utf8.h>

enum {
	TAG_CONN = 1, W = 560, H = 380, MONO_PX = 13, LINE_H = 18, MARGIN = 8, INPUT_H = 28,
	TRANSCRIPT_MAX = 16384, INPUT_MAX = 400, CHAT_TOKENS = 48, MODELS_MAX = 32,
	BG = 0x1e2228, BAR = 0x262b33, TEXT = 0xe6e6e6,
	KEY_ESC = 1, KEY_BACKSPACE = 14, KEY_ENTER = 28,
};

static struct {
	desk_window_t win;
	nc_inbox_t inbox;
	desk_font_t mono;
	char model[NC_SYS_AI_MODEL_ID_MAX + 1];
	char transcript[TRANSCRIPT_MAX];
	size_t len;
	char input[INPUT_MAX];
	size_t input_len;
	bool due, closed, stop, send; /* stop: Escape while generating; send: Enter */
} C;

/* Append bytes to the transcript; when full, the oldest half is dropped (at a
 * line start, so no character is cut). */
static void append(const char *s, size_t n)
{
	if (n > TRANSCRIPT_MAX / 2)
		n = TRANSCRIPT_MAX / 2;
	if (C.len + n > TRANSCRIPT_MAX) {
		size_t cut = C.len / 2;
		while (cut < C.len && C.transcript[cut - 1] != '\n')
			cut++;
		nc_mem_move(C.transcript, C.transcript + cut, C.len - cut);
		C.len -= cut;
	}
	nc_mem_copy(C.transcript + C.len, s, n);
	C.len += n;
	C.due = true;
}

static void say(const char *s)
{
	append(s, nc_str_len(s));
}

static void set_title(const char *status)
{
	char title[WP_TITLE_MAX + 1];
	nc_fmt_format(title, sizeof title, "Chat: %s%s%s", C.model[0] ? C.model : "no model", status[0] ? ", " : "",
		      status);
	desk_window_title(&C.win, title);
}

/* The length of the part of s[0..n) that fits in width (whole characters,
 * at least one). */
static size_t fitting(const char *s, size_t n, int width)
{
	size_t fit = 0;
	for (size_t i = 0; i < n;) {
		nc_utf8_next(s, n, &i);
		int w;
		if (nc_font_face_measure(C.mono.face, s, i, &w) || (w > width && fit))
			break;
		fit = i;
	}
	return fit;
}

/* Lay the transcript out in rows of width; call row(s, n) for each, top
 * down; returns the number of rows. */
static int layout(int width, void (*row)(const char *s, size_t n, int k, int first), int first)
{
	int k = 0;
	for (size_t i = 0; i <= C.len;) {
		size_t end = i;
		while (end < C.len && C.transcript[end] != '\n')
			end++;
		do {
			size_t n = end > i ? fitting(C.transcript + i, end - i, width) : 0;
			if (row)
				row(C.transcript + i, n, k, first);
			k++;
			i += n;
		} while (i < end);
		i = end + 1;
	}
	return k;
}

static void draw_row(const char *s, size_t n, int k, int first)
{
	nc_gfx_surface_t *sf = &C.win.surf;
	int y = MARGIN + (k - first + 1) * LINE_H - 5;
	if (k >= first)
		nc_gfx_text(sf, nc_gfx_rect(0, 0, sf->w, sf->h - INPUT_H), C.mono.face, MARGIN, y, TEXT, s, n, NULL);
}

static void draw(void)
{
	nc_gfx_surface_t *s = &C.win.surf;
	nc_gfx_rect_t all = nc_gfx_rect(0, 0, s->w, s->h);
	nc_gfx_fill(s, all, BG);
	int width = s->w - 2 * MARGIN, shown = (s->h - INPUT_H - MARGIN) / LINE_H;
	int rows = layout(width, NULL, 0);
	layout(width, draw_row, rows > shown ? rows - shown : 0);
	nc_gfx_rect_t bar = nc_gfx_rect(0, s->h - INPUT_H, s->w, INPUT_H);
	nc_gfx_fill(s, bar, BAR);
	char line[INPUT_MAX + 4];
	size_t n = nc_fmt_format(line, sizeof line, "> %.*s_", (int)C.input_len, C.input);
	size_t skip = 0; /* the end of a long line stays visible */
	while (skip < n && fitting(line + skip, n - skip, width) < n - skip)
		nc_utf8_next(line, n, &skip);
	nc_gfx_text(s, bar, C.mono.face, MARGIN, s->h - 9, TEXT, line + skip, n - skip, NULL);
	desk_window_dirty(&C.win, all);
}

static void redraw_if_due(void)
{
	if (C.due && C.win.configured && !C.win.busy) {
		draw();
		C.due = false;
	}
	desk_window_flush(&C.win);
}

/* One window event; while generating, only Escape (stop) and close count. */
static void on_event(const nc_inbox_msg_t *m, bool generating)
{
	const void *ev;
	switch (desk_window_event(&C.win, m, &ev)) {
	case DESK_EV_RESIZED: C.due = true; break;
	case DESK_EV_CLOSE: case DESK_EV_GONE: C.closed = true; break;
	case DESK_EV_KEY: {
		const wp_key_t *k = ev;
		if (!k->pressed)
			break;
		if (generating) {
			C.stop |= k->code == KEY_ESC;
		} else if (k->code == KEY_BACKSPACE && C.input_len) {
			do /* the last character: its continuation bytes, then its lead byte */
				C.input_len--;
			while (C.input_len && (C.input[C.input_len] & 0xc0) == 0x80);
			C.due = true;
		} else if (k->code == KEY_ENTER) {
			C.send = true;
		} else if (k->text_len && !(k->mods & (WP_MOD_CTRL | WP_MOD_ALT)) && (uint8_t)k->text[0] >= ' ' &&
			   C.input_len + k->text_len <= INPUT_MAX) {
			nc_mem_copy(C.input + C.input_len, k->text, k->text_len);
			C.input_len += k->text_len;
			C.due = true;
		}
		break;
	}
	default: break;
	}
}

/* Tokens arrive: show them, and keep the window answering meanwhile. */
static bool on_tokens(void *ctx, const uint8_t *bytes, size_t len)
{
	(void)ctx;
	append((const char *)bytes, len);
	static nc_inbox_msg_t m;
	while (!C.closed && !C.stop && nc_inbox_receive(&C.inbox, &m, 0) == NC_SYS_OK)
		on_event(&m, true);
	redraw_if_due();
	return !C.closed && !C.stop;
}

static void send_prompt(void)
{
	char prompt[INPUT_MAX];
	size_t n = C.input_len;
	nc_mem_copy(prompt, C.input, n);
	C.input_len = 0;
	if (!n)
		return;
	say(C.len ? "\n> " : "> ");
	append(prompt, n);
	say("\n");
	set_title("generating");
	redraw_if_due();
	nc_ai_opts_t o;
	nc_ai_opts_default(&o, C.model, prompt, n);
	o.max_tokens = CHAT_TOKENS;
	nc_sys_ai_stream_end_t end;
	C.stop = false;
	nc_sys_err_t err = C.model[0] ? nc_ai_stream(&o, on_tokens, NULL, &end) : NC_SYS_ERR_NOT_FOUND;
	if (!err && end.reason == NC_SYS_AI_END_ERROR)
		err = (nc_sys_err_t)end.status;
	char status[32], line[96];
	if (err) {
		nc_fmt_format(status, sizeof status, "failed");
		nc_fmt_format(line, sizeof line, "\n(error: %s)", nc_sys_err_name(err));
	} else {
		nc_fmt_format(status, sizeof status, "%llu tokens%s", (unsigned long long)end.n_tokens,
			      end.reason == NC_SYS_AI_END_CANCELLED ? ", stopped" : "");
		nc_fmt_format(line, sizeof line, "\n(%s)", status);
	}
	say(line);
	set_title(status);
	C.stop = false;
}

/* The model: the argument, or the first text model ai.invoke covers. */
static void choose_model(const char *arg, size_t arg_len)
{
	if (arg_len) {
		nc_fmt_format(C.model, sizeof C.model, "%.*s", (int)arg_len, arg);
		return;
	}
	static nc_sys_ai_model_t models[MODELS_MAX];
	uint64_t n;
	nc_sys_err_t err = nc_sys_ai_model_list(models, MODELS_MAX, &n);
	for (uint64_t i = 0; !err && i < n && i < MODELS_MAX && !C.model[0]; i++)
		if (models[i].kind == NC_SYS_AI_KIND_TEXT)
			nc_fmt_format(C.model, sizeof C.model, "%.*s",
				      (int)nc_str_len_max(models[i].id, sizeof models[i].id), models[i].id);
	char line[96];
	if (err) {
		nc_fmt_format(line, sizeof line, "(no models: AiModelList: %s)", nc_sys_err_name(err));
		say(line);
	} else if (!C.model[0]) {
		say("(no text model)");
	}
}

int main(const char *arg, size_t arg_len)
{
	if (desk_font_load(&C.mono, DESK_FONT_MONO, MONO_PX) || nc_inbox_init(&C.inbox) ||
	    desk_window_create(&C.win, DESK_CONNECTION, W, H, 0, "Chat") ||
	    nc_inbox_watch(&C.inbox, DESK_CONNECTION, TAG_CONN))
		return 1;
	choose_model(arg, arg_len);
	set_title("");
	C.due = true;
	while (!C.closed) {
		static nc_inbox_msg_t m;
		if (nc_inbox_receive(&C.inbox, &m, NC_SYS_TIMEOUT_INFINITE))
			continue;
		on_event(&m, false);
		if (C.send) {
			C.send = false;
			send_prompt();
		}
		redraw_if_due();
	}
	return 0;
}

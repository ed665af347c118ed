/* Client helpers for the Ai* calls (nc/ai_client.h). */
#include <nc/ai.h>
#include <nc/ai_client.h>
#include <nc/mem.h>
#include <nc/ulib.h>

static void *user_alloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	uint8_t *raw = nc_malloc(size + align + sizeof(void *));
	if (!raw)
		return NULL;
	uintptr_t p = ((uintptr_t)raw + sizeof(void *) + align - 1) & ~(uintptr_t)(align - 1);
	((void **)p)[-1] = raw;
	return (void *)p;
}

static void user_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	nc_free(((void **)ptr)[-1]);
}

const nc_ai_alloc_t nc_ai_user_alloc = { NULL, user_alloc, user_free };

static uint64_t milli(float v)
{
	return v <= 0 ? 0 : (uint64_t)(v * 1000.0f + 0.5f);
}

void nc_ai_opts_default(nc_ai_opts_t *o, const char *model, const char *input, size_t input_len)
{
	nc_ai_gen_params_t d;
	nc_ai_gen_params_default(&d);
	nc_mem_set(o, 0, sizeof *o);
	o->model = model;
	o->input = input;
	o->input_len = input_len;
	o->max_tokens = d.max_tokens;
	o->temperature_milli = milli(d.temperature);
	o->top_k = d.top_k;
	o->top_p_milli = milli(d.top_p);
	o->repeat_penalty_milli = milli(d.repeat_penalty);
	o->seed = d.seed;
}

bool nc_ai_opts_add_string(nc_ai_opts_t *o, const char *s, size_t len)
{
	if (o->stops_len + len + 1 > sizeof o->stops)
		return false;
	nc_mem_copy(o->stops + o->stops_len, s, len);
	o->stops[o->stops_len + len] = 0;
	o->stops_len += len + 1;
	return true;
}

void nc_ai_opts_request(const nc_ai_opts_t *o, nc_sys_ai_request_t *r)
{
	*r = (nc_sys_ai_request_t){
		.model = (uint64_t)o->model, .model_len = nc_str_len(o->model),
		.input = (uint64_t)o->input, .input_len = o->input_len,
		.max_tokens = o->max_tokens, .temperature_milli = o->temperature_milli, .top_k = o->top_k,
		.top_p_milli = o->top_p_milli, .repeat_penalty_milli = o->repeat_penalty_milli, .seed = o->seed,
		.stop = (uint64_t)o->stops, .stop_len = o->stops_len, .deadline_ns = o->deadline_ns,
		.flags = o->cloud ? NC_SYS_AI_FLAG_CLOUD : 0,
	};
}

bool nc_ai_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

bool nc_ai_parse_milli(const char *s, uint64_t max_milli, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, scale = 100;
	const char *p = s;
	if (!*p || *p == '.')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > max_milli / 1000 + 1)
			return false;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			if (!scale)
				return false;
			else
				frac += (uint64_t)(*p - '0') * scale;
	}
	if (*p || whole * 1000 + frac > max_milli)
		return false;
	*out = whole * 1000 + frac;
	return true;
}

nc_sys_err_t nc_ai_stream(const nc_ai_opts_t *o, nc_ai_on_bytes_t on_bytes, void *ctx,
                          nc_sys_ai_stream_end_t *end)
{
	uint64_t ends[2], session, sizes;
	nc_sys_ai_request_t r;
	nc_ai_opts_request(o, &r);
	nc_sys_err_t err = nc_sys_ipc_create_channel(ends);
	if (err)
		return err;
	err = nc_sys_ai_stream_params(&r, ends[0], &session);
	nc_sys_handle_close(ends[0]);
	nc_mem_set(end, 0, sizeof *end);
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	while (!err) {
		err = nc_sys_ipc_receive(ends[1], msg, sizeof msg, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes);
		size_t n = (size_t)(uint32_t)sizes;
		if (err)
			break;
		if (n >= 1 && msg[0] == NC_SYS_AI_MSG_TOKEN) {
			if (!on_bytes(ctx, msg + 1, n - 1)) {
				end->kind = NC_SYS_AI_MSG_END;
				end->reason = NC_SYS_AI_END_CANCELLED;
				break;
			}
		} else if (n == sizeof *end) {
			nc_mem_copy(end, msg, sizeof *end);
			break;
		}
	}
	nc_sys_handle_close(ends[1]);
	return err;
}

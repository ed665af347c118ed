/* Host effects behind the capability gate (deny by default).
 * A call is allowed only if (1) the #![capabilities(...)] header of the module
 * whose code makes the call (cap.c: each module has its own, within the
 * program's grant) declares the effect with a scope covering the resource
 * (args[0]), and (2) when the host installed handlers for that effect, one of
 * their scopes covers it too. Scopes
 * are lib/scope scopes (paths for fs.*, names or "*" for the rest), so this file
 * never matches paths itself. Both checks happen before the handler runs. A
 * declared effect with no handler installed does no I/O: it evaluates to an inert
 * effect value describing the request. */
#include "builtins.h"
#include "cap.h"
#include <nc/mem.h>
#include <nc/scope.h>

static const char *const fx_names[NC_NCS_FX_COUNT] = {
	"fs.read", "fs.write", "fs.list", "net.connect", "net.send", "net.recv",
	"ai.invoke", "ai.stream", "ai.embed", "ai.classify", "agent.task",
	"fs.write", "fs.write", "fs.write", /* fs::append, fs::remove, fs::mkdir */
	"ai.transcribe", "net.connect", /* net::fetch */
};

const char *nc_ncs_effect_name(nc_ncs_effect_t fx)
{
	return (unsigned)fx < NC_NCS_FX_COUNT ? fx_names[fx] : NULL;
}

nc_ncs_effect_t ncs_effect_cap(nc_ncs_effect_t fx)
{
	if (fx == NC_NCS_FX_NET_FETCH)
		return NC_NCS_FX_NET_CONNECT;
	return fx >= NC_NCS_FX_FS_APPEND && fx <= NC_NCS_FX_FS_MKDIR ? NC_NCS_FX_FS_WRITE : fx;
}

bool ncs_effect_from_name(const char *name, size_t len, nc_ncs_effect_t *out)
{
	for (unsigned i = 0; i < NC_NCS_FX_COUNT; i++)
		if (nc_str_len(fx_names[i]) == len && nc_mem_compare(fx_names[i], name, len) == 0) {
			*out = (nc_ncs_effect_t)i;
			return true;
		}
	return false;
}

struct nc_ncs_reply {
	ncs_vm_t *vm;
	nc_ncs_effect_t fx;
	bool collect;              /* list-shaped result */
	ncs_value_t value;         /* () , last text, or the array of texts */
};

nc_ncs_err_t nc_ncs_reply_text(nc_ncs_reply_t *reply, const char *bytes, size_t len_bytes)
{
	ncs_state_t *st = ncs_vm_state(reply->vm);
	ncs_value_t s;
	if (!ncs_utf8_valid(bytes, len_bytes))
		return ncs_fail(st, NC_NCS_ERR_EFFECT, UINT32_MAX, "%s: the host replied with invalid UTF-8",
				nc_ncs_effect_name(reply->fx));
	if (!ncs_str_new(st, bytes, len_bytes, &s))
		return st->err;
	if (!reply->collect) {
		ncs_unref(st, reply->value);
		reply->value = s;
		return NC_NCS_OK;
	}
	if (!ncs_arr_push(st, (ncs_arr_t *)reply->value.u.o, s))
		return st->err;
	return NC_NCS_OK;
}

static bool is_fs(nc_ncs_effect_t fx) { return fx <= NC_NCS_FX_FS_LIST || ncs_effect_cap(fx) == NC_NCS_FX_FS_WRITE; }

/* Effects whose reply is an array of every text the handler gave. */
static bool collects(nc_ncs_effect_t fx)
{
	return fx == NC_NCS_FX_FS_LIST || fx == NC_NCS_FX_AI_EMBED || fx == NC_NCS_FX_AI_STREAM;
}

/* Every argument a String: sargs borrow their bytes. */
static bool string_args(ncs_vm_t *vm, nc_ncs_effect_t fx, const ncs_value_t *args, uint32_t n, nc_ncs_str_t *sargs)
{
	for (uint32_t i = 0; i < n; i++) {
		if (args[i].tag != V_STR)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s: argument %u must be String, not %s", fx_names[fx], i + 1,
					   ncs_type_name(args[i]));
		sargs[i].ptr = ((ncs_str_t *)args[i].u.o)->bytes;
		sargs[i].len_bytes = ((ncs_str_t *)args[i].u.o)->len_bytes;
	}
	return true;
}

bool ncs_effect_permit(ncs_vm_t *vm, nc_ncs_effect_t fx, const char *res, size_t len, const nc_ncs_handler_t **out)
{
	ncs_state_t *st = ncs_vm_state(vm);
	const ncs_module_t *mod = ncs_vm_caller_module(vm);
	int rl = (int)(len > 80 ? 80 : len);
	if (!ncs_cap_declared(mod, ncs_effect_cap(fx), res, len)) {
		if (!mod->path[0])
			return ncs_vm_fail(vm, NC_NCS_ERR_CAP_DENIED, "capability %s(\"%.*s\") is not declared by the script",
					   fx_names[fx], rl, res);
		return ncs_vm_fail(vm, NC_NCS_ERR_CAP_DENIED,
				   "capability %s(\"%.*s\") is not declared by module `%s` (its own header applies)",
				   fx_names[fx], rl, res, mod->path);
	}
	bool any = false;
	*out = NULL;
	for (size_t i = 0; i < st->cfg->n_handlers; i++) {
		const nc_ncs_handler_t *c = &st->cfg->handlers[i];
		if (c->fx != fx)
			continue;
		any = true;
		if (c->scope && nc_scope_matches(c->scope, nc_str_len(c->scope), res, len)) {
			*out = c;
			return true;
		}
	}
	if (any)
		return ncs_vm_fail(vm, NC_NCS_ERR_CAP_DENIED, "the host does not grant %s(\"%.*s\")", fx_names[fx], rl, res);
	return true;
}

bool ncs_effect_inert(ncs_vm_t *vm, nc_ncs_effect_t fx, const ncs_value_t *args, uint32_t n, ncs_value_t *out)
{
	if (!ncs_rec_new(ncs_vm_state(vm), V_EFFECT, fx, n, out))
		return false;
	ncs_rec_t *r = (ncs_rec_t *)out->u.o;
	for (uint32_t i = 0; i < n; i++) {
		r->f[i] = args[i];
		ncs_ref(args[i]);
	}
	return true;
}

bool ncs_effect_invoke(ncs_vm_t *vm, const nc_ncs_handler_t *h, nc_ncs_effect_t fx, const nc_ncs_str_t *sargs,
		       uint32_t n, ncs_value_t *out)
{
	ncs_state_t *st = ncs_vm_state(vm);
	nc_ncs_reply_t reply = { vm, fx, collects(fx), ncs_unit() };
	if (reply.collect && !ncs_arr_new(st, V_ARR, 0, &reply.value))
		return false;
	const char *msg = NULL;
	nc_ncs_err_t err = h->fn(h->ud, fx, sargs, n, &reply, &msg);
	if (err != NC_NCS_OK || st->err) {
		ncs_unref(st, reply.value);
		if (st->err)
			return false;
		return ncs_vm_fail(vm, NC_NCS_ERR_EFFECT, "%s failed: %s", fx == NC_NCS_FX_NET_FETCH ? "net::fetch" : fx_names[fx],
				   msg ? msg : nc_ncs_err_name(err));
	}
	*out = reply.value;
	return true;
}

static bool effect_call(ncs_vm_t *vm, nc_ncs_effect_t fx, ncs_value_t *args, uint32_t n, ncs_value_t *out)
{
	nc_ncs_str_t sargs[4];
	char path[NC_SCOPE_MAX_BYTES + 1];
	if (!string_args(vm, fx, args, n, sargs))
		return false;
	if (is_fs(fx)) {
		size_t plen;
		if (nc_scope_normalize(sargs[0].ptr, sargs[0].len_bytes, path, sizeof path, &plen) != NC_SCOPE_OK)
			return ncs_vm_fail(vm, NC_NCS_ERR_CAP_DENIED, "%s: `%.*s` is not a valid absolute path", fx_names[fx],
					   (int)(sargs[0].len_bytes > 80 ? 80 : sargs[0].len_bytes), sargs[0].ptr);
		sargs[0].ptr = path;
		sargs[0].len_bytes = plen;
	}
	const nc_ncs_handler_t *h;
	if (!ncs_effect_permit(vm, fx, sargs[0].ptr, sargs[0].len_bytes, &h))
		return false;
	return h ? ncs_effect_invoke(vm, h, fx, sargs, n, out) : ncs_effect_inert(vm, fx, args, n, out);
}

#define EFFECT(fn, fx) NCS_BUILTIN(fn) { return effect_call(vm, fx, args, n, out); }
EFFECT(ncs_b_fs_read, NC_NCS_FX_FS_READ)
EFFECT(ncs_b_fs_write, NC_NCS_FX_FS_WRITE)
EFFECT(ncs_b_fs_list, NC_NCS_FX_FS_LIST)
EFFECT(ncs_b_fs_append, NC_NCS_FX_FS_APPEND)
EFFECT(ncs_b_fs_remove, NC_NCS_FX_FS_REMOVE)
EFFECT(ncs_b_fs_mkdir, NC_NCS_FX_FS_MKDIR)
EFFECT(ncs_b_net_connect, NC_NCS_FX_NET_CONNECT)
EFFECT(ncs_b_net_send, NC_NCS_FX_NET_SEND)
EFFECT(ncs_b_net_recv, NC_NCS_FX_NET_RECV)
EFFECT(ncs_b_ai_invoke, NC_NCS_FX_AI_INVOKE)
EFFECT(ncs_b_ai_stream, NC_NCS_FX_AI_STREAM)
EFFECT(ncs_b_ai_embed, NC_NCS_FX_AI_EMBED)
EFFECT(ncs_b_ai_classify, NC_NCS_FX_AI_CLASSIFY)
EFFECT(ncs_b_agent_task, NC_NCS_FX_AGENT_TASK)
EFFECT(ncs_b_ai_transcribe, NC_NCS_FX_AI_TRANSCRIBE)

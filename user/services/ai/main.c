/* The AI service's start-up and receive loop (aisvc.h, docs/ai-service.md).
 *
 *   ai-service [--portable] [--log] [--provider TIER:NAME:MODEL:TIMEOUT_MS:PROGRAM]... [STORE]...
 *       (init starts it: service ai-service --portable /models /disk/models
 *        fs.read=/models fs.read=/disk/models service.register=ai)
 *
 * --portable: the engine's plain-C kernels instead of AVX2 (under QEMU's TCG,
 * which emulates AVX2 instruction by instruction, they are about ten times
 * faster; on hardware AVX2 is the faster). --log: print the text input of
 * every request it accepts, as it arrived (tokenized by the kernel under the
 * caller's policy, docs/privacy.md). --provider: a provider process
 * for the router (router.c; it needs process.spawn). STORE: the model store's
 * directories, first first (default /models; store.c lists a directory again
 * when it changed, so /disk/models counts once fsd serves it).
 * It lists the model store, registers as SERVICE_AI, starts
 * one worker per CPU and then takes requests: each is checked here (the
 * payload's layout, the model, UTF-8 text, stop strings and labels) and
 * answered at once when it is wrong, or admitted as a job the workers run.
 * AiModelList needs no worker. AiStream is answered with its session id as
 * soon as it is admitted; its tokens follow on the caller's channel. */
#include "aisvc.h"

#include <nc/mem.h>

enum { STOP_MAX_BYTES = NC_AI_STOP_MAX_BYTES - 1, LABEL_MAX_BYTES = 255 };

static uint8_t request[NC_SYS_SERVICE_MSG_MAX_BYTES + NC_SYS_AI_AUDIO_MAX_BYTES];
static nc_sys_ai_model_t listing[AISVC_MODELS_MAX];
static uint64_t port, next_session;
static bool log_inputs;

bool aisvc_utf8_valid(const char *s, size_t n)
{
	const uint8_t *b = (const uint8_t *)s;
	for (size_t i = 0; i < n;) {
		uint8_t c = b[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		uint32_t cp = len == 1 ? c : c & (0x7f >> len);
		for (size_t k = 1; k < len; k++) {
			if ((b[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (b[i + k] & 0x3f);
		}
		static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* NUL-ended strings filling s[0..len) exactly: each 1..max_bytes of UTF-8;
 * at most max_n of them (at least one when need_one). */
static bool strings_valid(const char *s, size_t len, size_t max_bytes, size_t max_n, bool need_one)
{
	size_t n = 0;
	for (size_t at = 0; at < len; n++) {
		size_t k = nc_str_len_max(s + at, len - at);
		if (k == 0 || k > max_bytes || at + k == len || !aisvc_utf8_valid(s + at, k))
			return false;
		at += k + 1;
	}
	return n <= max_n && (n > 0 || !need_one);
}

static bool is_generation(uint64_t op)
{
	return op == NC_SYS_AI_INVOKE || op == NC_SYS_AI_INVOKE_PARAMS || op == NC_SYS_AI_STREAM ||
	       op == NC_SYS_AI_STREAM_PARAMS;
}

/* Check a request's payload; INVALID or NOT_FOUND, else OK with *m. */
static nc_sys_err_t check(const nc_sys_service_request_t *h, const nc_sys_ai_payload_t *p, const char *model,
                          const char *input, const char *extra, uint32_t n_handles, aisvc_model_t **m)
{
	bool stream = h->op == NC_SYS_AI_STREAM || h->op == NC_SYS_AI_STREAM_PARAMS;
	if (stream != (n_handles == 1))
		return NC_SYS_ERR_INVALID;
	*m = aisvc_store_find(model, p->model_len);
	if (!*m) { /* copied into a store directory since the last look? */
		aisvc_store_refresh();
		*m = aisvc_store_find(model, p->model_len);
	}
	nc_sys_err_t routed = *m ? NC_SYS_OK : aisvc_router_serves(model, p->model_len, h->op, p->flags);
	if (routed)
		return routed;
	bool speech = h->op == NC_SYS_AI_TRANSCRIBE;
	if (*m && speech != (aisvc_model_kind(*m) == NC_SYS_AI_KIND_SPEECH))
		return NC_SYS_ERR_INVALID;
	if (speech)
		return NC_SYS_OK;
	if (h->op == NC_SYS_AI_CLASSIFY) { /* text, NUL, labels each NUL-ended */
		size_t t = nc_str_len_max(input, p->input_len);
		return t < p->input_len && aisvc_utf8_valid(input, t) &&
				       strings_valid(input + t + 1, p->input_len - t - 1, LABEL_MAX_BYTES,
						     NC_SYS_AI_LABELS_MAX, true)
			       ? NC_SYS_OK
			       : NC_SYS_ERR_INVALID;
	}
	if (!aisvc_utf8_valid(input, p->input_len) || nc_str_len_max(input, p->input_len) != p->input_len)
		return NC_SYS_ERR_INVALID;
	if (h->op == NC_SYS_AI_CLASSIFY_LABELS)
		return strings_valid(extra, p->extra_len, LABEL_MAX_BYTES, NC_SYS_AI_LABELS_MAX, true)
			       ? NC_SYS_OK
			       : NC_SYS_ERR_INVALID;
	if (is_generation(h->op))
		return strings_valid(extra, p->extra_len, STOP_MAX_BYTES, AISVC_STOPS_MAX, false) ? NC_SYS_OK
												 : NC_SYS_ERR_INVALID;
	return p->extra_len ? NC_SYS_ERR_INVALID : NC_SYS_OK;
}

/* A job for the request: header fields and a copy of the payload's strings,
 * each followed by a NUL. NULL without memory. */
static aisvc_job_t *make_job(const nc_sys_service_request_t *h, const nc_sys_ai_payload_t *p, const char *model,
                             aisvc_model_t *m)
{
	size_t n = p->model_len + p->input_len + p->extra_len + 3;
	aisvc_job_t *j = nc_malloc(sizeof *j + n);
	if (!j)
		return NULL;
	j->id = h->id;
	j->op = h->op;
	j->pid = h->caller_pid;
	j->arg0 = h->arg0;
	j->out_max = h->out_max;
	j->p = *p;
	j->model = m;
	char *d = (char *)j->data;
	const char *input = model + p->model_len, *extra = input + p->input_len;
	nc_mem_copy(d, model, p->model_len);
	nc_mem_copy(d + p->model_len + 1, input, p->input_len);
	nc_mem_copy(d + p->model_len + p->input_len + 2, extra, p->extra_len);
	j->model_id = d;
	j->input = d + p->model_len + 1;
	j->extra = d + p->model_len + p->input_len + 2;
	return j;
}

static void serve(const nc_sys_service_request_t *h, const uint8_t *payload, const uint64_t *handles,
                  uint32_t n_handles)
{
	if (h->op == NC_SYS_AI_MODEL_LIST) {
		aisvc_store_refresh();
		size_t n = aisvc_store_list(listing, h->out_max / sizeof listing[0]);
		nc_service_answer(port, h->id, NC_SYS_OK, n, listing, n * sizeof listing[0]);
		return;
	}
	nc_sys_ai_payload_t p;
	nc_sys_err_t err = NC_SYS_OK;
	aisvc_model_t *m = NULL;
	if (h->in_len < sizeof p)
		err = NC_SYS_ERR_INVALID;
	if (!err) {
		nc_mem_copy(&p, payload, sizeof p);
		if (p.model_len + p.input_len + p.extra_len != h->in_len - sizeof p)
			err = NC_SYS_ERR_INVALID;
	}
	const char *model = (const char *)payload + sizeof p;
	if (!err)
		err = check(h, &p, model, model + p.model_len, model + p.model_len + p.input_len, n_handles, &m);
	if (!err && log_inputs && h->op != NC_SYS_AI_TRANSCRIBE) /* texts: check found them UTF-8 */
		nc_print("ai-service: pid %llu %.*s input: %.*s\n", (unsigned long long)h->caller_pid, (int)p.model_len,
			 model, (int)p.input_len, model + p.model_len);
	aisvc_job_t *j = err ? NULL : make_job(h, &p, model, m);
	if (!err && !j)
		err = NC_SYS_ERR_NO_MEMORY;
	uint64_t session = 0; /* once admitted, j is the workers' (it may be gone already) */
	if (j && n_handles == 1) {
		j->chan = handles[0];
		j->session = session = ++next_session;
	}
	if (!err)
		err = aisvc_sched_admit(j);
	if (err) {
		for (uint32_t i = 0; i < n_handles; i++)
			nc_sys_handle_close(handles[i]);
		nc_free(j);
		nc_service_answer(port, h->id, err, 0, NULL, 0);
		return;
	}
	if (session && nc_service_answer(port, h->id, NC_SYS_OK, session, NULL, 0) == NC_SYS_ERR_CANCELLED)
		aisvc_sched_cancel(h->id);
}

nc_ai_simd_t aisvc_simd = NC_AI_SIMD_AUTO;

/* The next space-separated word of arg[*at..len): *word, its length. */
static size_t next_word(const char *arg, size_t len, size_t *at, const char **word)
{
	while (*at < len && arg[*at] == ' ')
		(*at)++;
	*word = arg + *at;
	size_t start = *at;
	while (*at < len && arg[*at] != ' ')
		(*at)++;
	return *at - start;
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return n == nc_str_len(s) && !nc_mem_compare(w, s, n);
}

int main(const char *arg, size_t arg_len)
{
	const char *w;
	bool stores = false;
	for (size_t at = 0, n; (n = next_word(arg, arg_len, &at, &w));) {
		if (word_is(w, n, "--portable")) {
			aisvc_simd = NC_AI_SIMD_PORTABLE;
		} else if (word_is(w, n, "--log")) {
			log_inputs = true;
		} else if (word_is(w, n, "--provider")) {
			n = next_word(arg, arg_len, &at, &w);
			if (!aisvc_router_add(w, n)) {
				nc_print("ai-service: bad --provider %.*s (TIER:NAME:MODEL:TIMEOUT_MS:PROGRAM)\n", (int)n, w);
				return 2;
			}
		} else if (!aisvc_store_add_dir(w, n)) {
			nc_print("ai-service: bad store directory %.*s\n", (int)n, w);
			return 2;
		} else {
			stores = true;
		}
	}
	if (!stores)
		aisvc_store_add_dir("/models", 7);
	size_t n_models = aisvc_store_refresh();
	nc_sys_err_t err = nc_sys_service_register(NC_SYS_SERVICE_AI, NULL, 0, &port);
	if (err) {
		nc_print("ai-service: ServiceRegister: %s\n", nc_sys_err_name(err));
		return 1;
	}
	uint64_t cpus = 1;
	nc_sys_system_info(NC_SYS_INFO_CPU_COUNT, &cpus);
	if (!aisvc_sched_start(cpus, port)) {
		nc_print("ai-service: cannot start workers\n");
		return 1;
	}
	nc_print("ai-service: %zu models, %llu workers\n", n_models, (unsigned long long)cpus);
	nc_service_ready();
	for (;;) {
		uint64_t handles[1], sizes;
		err = nc_sys_service_receive(port, request, sizeof request, handles, 1, NC_SYS_TIMEOUT_INFINITE, &sizes);
		if (err)
			continue;
		const nc_sys_service_request_t *h = (const nc_sys_service_request_t *)(const void *)request;
		if (h->op == NC_SYS_SERVICE_OP_CANCEL)
			aisvc_sched_cancel(h->arg0);
		else if (h->op != NC_SYS_SERVICE_OP_CLOSE)
			serve(h, request + sizeof *h, handles, (uint32_t)(sizes >> 32));
	}
}

/* ai-testprov NAME: a provider for the router tests (tests/user/ai/ai_router.c),
 * started by the AI service with one channel end (handle 1) and speaking
 * nc/ai_provider.h. It answers every request "[NAME #K] INPUT" (K: the
 * requests this process has received, so a test can tell which provider
 * answered and whether it was started again), cut to the bytes the router
 * takes, unless the input holds "NAME:MODE", which makes it misbehave:
 *
 *   NAME:fail     END with IO_ERROR
 *   NAME:slow     the answer 2 s late (past every test provider's timeout)
 *   NAME:garbage  TEXT that is not UTF-8, then END OK
 *   NAME:junk     a message of a type the protocol does not have
 *   NAME:crash    half an answer, then the process ends (status 3)
 *   NAME:hex      "[NAME #K] " and the input in hexadecimal: what it
 *                 received, in a form the kernel does not map back (the
 *                 privacy tests, tests/user/ai/ai_privacy.c)
 *
 * It ends when its channel closes. */
#include <nc/ai_provider.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/ulib.h>

enum { CHAN = 1, REQUEST_MAX = NC_SYS_SERVICE_MSG_MAX_BYTES, TEXT_MAX = NC_SYS_SERVICE_MSG_MAX_BYTES };
#define SLOW_NS (2000ull * 1000 * 1000)

static uint8_t req[REQUEST_MAX];
static char text[TEXT_MAX];
static char name[32];

/* The next message into msg; false when the channel closed. */
static bool receive(uint8_t *msg, size_t *n)
{
	uint64_t sizes;
	if (nc_sys_ipc_receive(CHAN, msg, NC_SYS_IPC_MSG_MAX_BYTES, NULL, 0, NC_SYS_TIMEOUT_INFINITE, &sizes))
		return false;
	*n = (uint32_t)sizes;
	return true;
}

/* The mode input asks of this provider ("" when none). */
static const char *mode_of(const char *input, size_t len, char *mode, size_t cap)
{
	size_t k = nc_str_len(name);
	mode[0] = 0;
	for (size_t i = 0; i + k < len; i++) {
		if (nc_mem_compare(input + i, name, k) || input[i + k] != ':')
			continue;
		size_t n = 0;
		for (size_t at = i + k + 1; at < len && input[at] != ' ' && n + 1 < cap; at++)
			mode[n++] = input[at];
		mode[n] = 0;
		break;
	}
	return mode;
}

static void end(uint32_t seq, nc_sys_err_t status)
{
	nc_aiprov_end_t e = { { NC_AIPROV_END, seq }, (uint32_t)status, 0 };
	nc_sys_ipc_send(CHAN, &e, sizeof e, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

/* Answer one request (seq, its bytes req[0..len), out_max). */
static void answer(uint32_t seq, size_t len, uint32_t out_max, uint64_t count)
{
	nc_sys_ai_payload_t p;
	if (len < sizeof p)
		return end(seq, NC_SYS_ERR_INVALID);
	nc_mem_copy(&p, req, sizeof p);
	if (p.model_len + p.input_len + p.extra_len != len - sizeof p)
		return end(seq, NC_SYS_ERR_INVALID);
	const char *input = (const char *)req + sizeof p + p.model_len;
	char mode[16];
	mode_of(input, p.input_len, mode, sizeof mode);
	if (!nc_str_compare(mode, "fail"))
		return end(seq, NC_SYS_ERR_IO_ERROR);
	if (!nc_str_compare(mode, "slow"))
		nc_sys_sleep(SLOW_NS);
	if (!nc_str_compare(mode, "junk")) {
		nc_aiprov_hdr_t h = { 99, seq };
		nc_sys_ipc_send(CHAN, &h, sizeof h, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
		return;
	}
	if (!nc_str_compare(mode, "garbage")) {
		static const uint8_t bad[] = { 0xc3, 0x28, 0xff };
		nc_aiprov_send_pieces(CHAN, NC_AIPROV_TEXT, seq, bad, sizeof bad, 0);
		return end(seq, NC_SYS_OK);
	}
	size_t n = nc_fmt_format(text, sizeof text, "[%s #%llu] ", name, (unsigned long long)count);
	if (!nc_str_compare(mode, "hex"))
		for (size_t i = 0; i < p.input_len && n + 2 < sizeof text; i++)
			n += nc_fmt_format(text + n, sizeof text - n, "%02x", (unsigned)(uint8_t)input[i]);
	else
		n += nc_fmt_format(text + n, sizeof text - n, "%.*s", (int)p.input_len, input);
	if (n >= sizeof text)
		n = sizeof text - 1;
	if (n > out_max)
		n = out_max;
	while (n && ((uint8_t)text[n] & 0xc0) == 0x80) /* cut at a character */
		n--;
	if (!nc_str_compare(mode, "crash")) {
		nc_aiprov_send_pieces(CHAN, NC_AIPROV_TEXT, seq, text, n / 2, 0);
		nc_sys_exit(3);
	}
	nc_aiprov_send_pieces(CHAN, NC_AIPROV_TEXT, seq, text, n, 0);
	end(seq, NC_SYS_OK);
}

int main(const char *arg, size_t arg_len)
{
	if (!arg_len || arg_len >= sizeof name)
		return 2;
	nc_mem_copy(name, arg, arg_len);
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	size_t n;
	for (uint64_t count = 1;; count++) {
		nc_aiprov_request_t r;
		do { /* the next REQUEST (anything else is skipped) */
			if (!receive(msg, &n))
				return 0;
			nc_mem_copy(&r, msg, n < sizeof r ? n : sizeof r);
		} while (n != sizeof r || r.h.type != NC_AIPROV_REQUEST || r.total_len > sizeof req);
		size_t got = 0;
		while (got < r.total_len) {
			nc_aiprov_hdr_t h = { 0, 0 };
			if (!receive(msg, &n))
				return 0;
			if (n >= sizeof h)
				nc_mem_copy(&h, msg, sizeof h);
			if (n < sizeof h || h.type != NC_AIPROV_DATA || h.seq != r.h.seq || got + n - sizeof h > r.total_len)
				break;
			nc_mem_copy(req + got, msg + sizeof h, n - sizeof h);
			got += n - sizeof h;
		}
		if (got == r.total_len)
			answer(r.h.seq, got, r.out_max, count);
		else
			end(r.h.seq, NC_SYS_ERR_INVALID);
	}
}

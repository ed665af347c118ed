/* The AI provider protocol's sending side (nc/ai_provider.h), shared by the
 * AI service's router and provider programs. */
#include <nc/ai_provider.h>
#include <nc/mem.h>

nc_sys_err_t nc_aiprov_send_pieces(uint64_t chan, uint32_t type, uint32_t seq, const void *bytes, size_t len,
                                   uint64_t deadline_ns)
{
	uint8_t msg[NC_SYS_IPC_MSG_MAX_BYTES];
	nc_aiprov_hdr_t h = { type, seq };
	nc_mem_copy(msg, &h, sizeof h);
	for (size_t at = 0; at < len;) {
		size_t n = len - at < NC_AIPROV_PIECE_MAX ? len - at : NC_AIPROV_PIECE_MAX;
		nc_mem_copy(msg + sizeof h, (const uint8_t *)bytes + at, n);
		uint64_t now = 0, wait = NC_SYS_TIMEOUT_INFINITE;
		if (deadline_ns) {
			nc_sys_clock_get(&now);
			wait = now < deadline_ns ? deadline_ns - now : 0;
		}
		nc_sys_err_t err = nc_sys_ipc_send(chan, msg, sizeof h + n, NULL, 0, wait);
		if (err)
			return err;
		at += n;
	}
	return NC_SYS_OK;
}

/* RIFF/WAVE parsing (nc/ai_asr.h): Microsoft's RIFF layout -- "RIFF", a
 * 32-bit size, "WAVE", then chunks (4-byte id, 32-bit little-endian size,
 * data padded to an even length). Every length is checked against the buffer. */
#include "asr_int.h"

#include <nc/mem.h>

#define WAV_FORMAT_PCM 1u
#define WAV_FORMAT_EXTENSIBLE 0xfffeu

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static nc_ai_err_t read_fmt(const uint8_t *c, uint32_t size, nc_ai_wav_t *out)
{
	if (size < 16)
		return NC_AI_ERR_AUDIO;
	uint16_t format = le16(c);
	/* WAVE_FORMAT_EXTENSIBLE: the sub-format GUID's first two bytes are the format */
	if (format == WAV_FORMAT_EXTENSIBLE && size >= 40)
		format = le16(c + 24);
	out->channels = le16(c + 2);
	out->sample_rate = le32(c + 4);
	out->bits = le16(c + 14);
	if (format != WAV_FORMAT_PCM || out->channels == 0 || out->sample_rate == 0 || out->bits == 0 ||
	    out->bits % 8)
		return NC_AI_ERR_AUDIO;
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_wav_parse(const uint8_t *wav, size_t len, nc_ai_wav_t *out)
{
	if (!wav || !out)
		return NC_AI_ERR_ARG;
	nc_mem_set(out, 0, sizeof *out);
	if (len < 12 || nc_mem_compare(wav, "RIFF", 4) || nc_mem_compare(wav + 8, "WAVE", 4))
		return NC_AI_ERR_AUDIO;
	bool have_fmt = false;
	for (size_t off = 12; off + 8 <= len;) {
		uint32_t size = le32(wav + off + 4);
		const uint8_t *body = wav + off + 8;
		size_t room = len - off - 8;
		if (!nc_mem_compare(wav + off, "fmt ", 4)) {
			nc_ai_err_t e = size <= room ? read_fmt(body, size, out) : NC_AI_ERR_AUDIO;
			if (e)
				return e;
			have_fmt = true;
		} else if (!nc_mem_compare(wav + off, "data", 4)) {
			if (!have_fmt)
				return NC_AI_ERR_AUDIO;
			size_t n = size < room ? size : room;
			size_t frame = (size_t)out->channels * (out->bits / 8);
			out->data = body;
			out->n_frames = n / frame;
			return NC_AI_OK;
		}
		if (size > room)
			return NC_AI_ERR_AUDIO;
		off += 8 + (size_t)size + (size & 1);
	}
	return NC_AI_ERR_AUDIO;
}

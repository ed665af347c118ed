/* Speech to text: the "ncasr" architecture (docs/ai-service.md has its GGUF
 * keys and tensors; tools/models/speech_model.py is the PyTorch reference).
 * 16 kHz mono 16-bit PCM -> log-mel features -> two 1-D convolutions (the
 * second halves the frame rate) -> sinusoidal positions -> a pre-norm
 * transformer encoder -> a vocabulary of characters and word pieces -> greedy
 * CTC decoding (the text: the chosen tokens' strings, concatenated).
 * Freestanding like the rest of lib/ai: memory and threads are injected; the
 * model file is a memory image the caller keeps while the model is open. */
#ifndef NC_AI_ASR_H
#define NC_AI_ASR_H

#include <stddef.h>
#include <stdint.h>

#include <nc/ai.h>

typedef struct nc_ai_asr nc_ai_asr_t;

typedef struct {
	uint32_t sample_rate;     /* Hz of the input (16000) */
	uint32_t n_fft, win, hop; /* FFT size, window and hop in samples */
	uint32_t n_mels;
	uint32_t n_embd, n_layer, n_head, n_ff, kernel;
	uint32_t n_ctx;           /* most encoder frames (after the stride-2 convolution) */
	uint32_t n_vocab;         /* CTC blank (0), the characters and word pieces */
	float eps, log_offset;
	uint64_t n_params;
} nc_ai_asr_info_t;

/* Open an ncasr GGUF image (kept valid and unchanged until nc_ai_asr_close).
 * Errors: ARG, NOMEM, FORMAT (*gguf_err tells why), ARCH (not "ncasr"),
 * HPARAM, MISSING_TENSOR, TENSOR_SHAPE, TENSOR_TYPE (quantized convolution or
 * front-end tensors), TOKENIZER (the vocabulary is missing, longer than 1024
 * tokens, its first entry not empty, another empty, longer than 32 bytes or not
 * printable ASCII), UNSUPPORTED (extra tensors, n_fft not a power of two). */
nc_ai_err_t nc_ai_asr_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                           nc_ai_asr_t **out, nc_gguf_err_t *gguf_err);
void nc_ai_asr_close(nc_ai_asr_t *m);
void nc_ai_asr_get_info(const nc_ai_asr_t *m, nc_ai_asr_info_t *out);

/* Bytes nc_ai_asr_transcribe allocates (at once) for n_samples, so a caller can
 * budget memory before it asks. */
size_t nc_ai_asr_scratch_bytes(const nc_ai_asr_t *m, size_t n_samples);

/* Transcribe n_samples little-endian 16-bit samples at pcm (any alignment)
 * into text[0..cap) (no terminator); *len_out gets the text's length.
 * Thread-safe on one model (the model is read-only); each call allocates its
 * scratch from *alloc and frees it; simd picks the kernels as for contexts.
 * Fewer samples than one window give "". Errors: ARG, NOMEM, CONTEXT_FULL
 * (longer than n_ctx encoder frames), BUFFER (the text does not fit cap; text
 * holds its first cap bytes), UNSUPPORTED (AVX2 forced on a CPU without it). */
nc_ai_err_t nc_ai_asr_transcribe(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples,
                                 const nc_ai_alloc_t *alloc, const nc_ai_pool_t *pool, nc_ai_simd_t simd,
                                 char *text, size_t cap, size_t *len_out);

/* The encoder's output: n_vocab logits per encoder frame into
 * logits[0..cap) (floats); *n_frames gets the frame count. Errors: as
 * nc_ai_asr_transcribe (BUFFER: cap < frames * n_vocab). */
nc_ai_err_t nc_ai_asr_logits(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples,
                             const nc_ai_alloc_t *alloc, const nc_ai_pool_t *pool, nc_ai_simd_t simd,
                             float *logits, size_t cap, size_t *n_frames);

/* A RIFF/WAVE file's PCM data (samples borrow from the buffer). */
typedef struct {
	uint32_t sample_rate;
	uint16_t channels;
	uint16_t bits;
	const uint8_t *data;      /* the "data" chunk */
	size_t n_frames;          /* samples per channel */
} nc_ai_wav_t;

/* Parse wav[0..len): "RIFF" size "WAVE", chunks; "fmt " must say PCM (format
 * 1, or WAVE_FORMAT_EXTENSIBLE with the PCM sub-format) and come before
 * "data"; other chunks are skipped; a data chunk longer than the file is cut
 * to what is there (as streams written without a final size are). Errors:
 * AUDIO (not such a file, or not PCM). */
nc_ai_err_t nc_ai_wav_parse(const uint8_t *wav, size_t len, nc_ai_wav_t *out);

#endif

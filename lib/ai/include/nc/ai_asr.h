/* Speech to text: the "ncasr" architecture (docs/ai-service.md has its GGUF
 * keys and tensors; tools/models/speech_model.py is the PyTorch reference).
 * 16 kHz mono 16-bit PCM -> log-mel features -> two 1-D convolutions (the
 * second halves the frame rate) -> sinusoidal positions -> a pre-norm
 * transformer encoder -> a vocabulary of characters and word pieces -> CTC
 * decoding: greedy (the text: the chosen tokens' strings, concatenated) or,
 * when the model carries a lexicon (the words of its training text), a
 * lexicon-constrained beam search (tools/models/ctc_lexicon.py states it; the
 * text is lexicon words separated by single spaces).
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
	uint32_t n_lexicon;       /* words of the lexicon (0: none, greedy decoding only) */
	uint32_t beam_width;      /* the lexicon beam search's hypotheses (0 without a lexicon) */
	float prior_weight;       /* its weight of the words' unigram log priors */
} nc_ai_asr_info_t;

/* How CTC output becomes text. DEFAULT: LEXICON when the model has a lexicon,
 * else GREEDY. GREEDY: the best token per frame, repeats merged, blanks
 * dropped. LEXICON: the beam search; UNSUPPORTED on a model without one. */
typedef enum {
	NC_AI_ASR_DECODE_DEFAULT,
	NC_AI_ASR_DECODE_GREEDY,
	NC_AI_ASR_DECODE_LEXICON
} nc_ai_asr_decode_t;

/* Open an ncasr GGUF image (kept valid and unchanged until nc_ai_asr_close).
 * Errors: ARG, NOMEM, FORMAT (*gguf_err tells why), ARCH (not "ncasr"),
 * HPARAM, MISSING_TENSOR, TENSOR_SHAPE, TENSOR_TYPE (quantized convolution or
 * front-end tensors), TOKENIZER (the vocabulary is missing, longer than 1024
 * tokens, its first entry not empty, another empty, longer than 32 bytes or not
 * printable ASCII; or the optional lexicon `ncasr.lexicon` is empty, longer
 * than 16384 words, holds a word twice, a word of more than 32 bytes or one
 * that is not printable ASCII without spaces, lacks its float32
 * `ncasr.lexicon.log_prior` (one per word, finite, <= 0),
 * `ncasr.decoder.beam_width` (1..64) or `ncasr.decoder.prior_weight`
 * (0..100), or the vocabulary has no " " token), UNSUPPORTED (extra tensors,
 * n_fft not a power of two). */
nc_ai_err_t nc_ai_asr_open(const void *image, size_t image_bytes, const nc_ai_alloc_t *alloc,
                           nc_ai_asr_t **out, nc_gguf_err_t *gguf_err);
void nc_ai_asr_close(nc_ai_asr_t *m);
void nc_ai_asr_get_info(const nc_ai_asr_t *m, nc_ai_asr_info_t *out);

/* Bytes nc_ai_asr_transcribe allocates (at most, and at most at once) for
 * n_samples with any decoding, so a caller can budget memory before it asks. */
size_t nc_ai_asr_scratch_bytes(const nc_ai_asr_t *m, size_t n_samples);

/* Transcribe n_samples little-endian 16-bit samples at pcm (any alignment)
 * into text[0..cap) (no terminator) with the given decoding; *len_out gets the
 * text's length. Thread-safe on one model (the model is read-only); each call
 * allocates its scratch from *alloc and frees it; simd picks the kernels as
 * for contexts. Fewer samples than one window give "". Errors: ARG (also an
 * unknown decode), NOMEM, CONTEXT_FULL (longer than n_ctx encoder frames),
 * BUFFER (the text does not fit cap; text holds its first cap bytes; *len_out
 * is the full length), UNSUPPORTED (AVX2 forced on a CPU without it; LEXICON
 * on a model without a lexicon). */
nc_ai_err_t nc_ai_asr_transcribe(const nc_ai_asr_t *m, const uint8_t *pcm, size_t n_samples,
                                 const nc_ai_alloc_t *alloc, const nc_ai_pool_t *pool, nc_ai_simd_t simd,
                                 nc_ai_asr_decode_t decode, char *text, size_t cap, size_t *len_out);

/* Decode logits [n_frames][n_vocab] (e.g. from nc_ai_asr_logits) into
 * text[0..cap) as nc_ai_asr_transcribe does. Reentrant; allocates its scratch
 * from *alloc (nothing for GREEDY) and frees it. Errors: ARG, NOMEM,
 * CONTEXT_FULL (n_frames > n_ctx), BUFFER, UNSUPPORTED (LEXICON without a
 * lexicon). */
nc_ai_err_t nc_ai_asr_decode(const nc_ai_asr_t *m, const float *logits, size_t n_frames,
                             nc_ai_asr_decode_t decode, const nc_ai_alloc_t *alloc, char *text, size_t cap,
                             size_t *len_out);

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

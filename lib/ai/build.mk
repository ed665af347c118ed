# lib/ai: the inference engine (GGUF, tokenizer, transformer, sampling).
# Floating point: host, rel and user flavours only (the kernel has no FPU state).
NC_AI_SRCS := lib/ai/gguf.c lib/ai/math.c lib/ai/cpu.c lib/ai/kern.c lib/ai/matmul.c lib/ai/kern_avx2.c lib/ai/kern_avx512.c \
              lib/ai/kquant.c lib/ai/kquant_avx2.c lib/ai/q8k.c \
              lib/ai/bind.c lib/ai/model.c lib/ai/tokenizer.c lib/ai/pretok.c lib/ai/unicode_tab.c \
              lib/ai/context.c lib/ai/forward.c lib/ai/sample.c lib/ai/generate.c lib/ai/embed.c \
              lib/ai/asr.c lib/ai/asr_forward.c lib/ai/asr_decode.c lib/ai/asr_beam.c lib/ai/asr_lexicon.c lib/ai/wav.c
$(call nc_lib,ai,$(NC_AI_SRCS),host rel user)

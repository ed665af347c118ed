# bench/lib/ai: AI engine speed against memory bandwidth and the portable kernels.
$(call nc_bench,ai_bench,bench/lib/ai/ai_bench.c bench/lib/cpu_time.c tools/nc-ai/host_env.c,ai,-lpthread -lm)
$(B)/rel/bin/ai_bench: | $(B)/ai-kquant/kq-mixed.gguf

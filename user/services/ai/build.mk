# user/services/ai: the AI service (docs/ai-service.md), started by init.
AISVC_SRCS := user/services/ai/main.c user/services/ai/store.c user/services/ai/sched.c user/services/ai/job.c \
	user/services/ai/router.c
$(call nc_user_prog,ai-service,$(AISVC_SRCS),ai)
# The `ai` command (the shell's `ai` runs it with the capabilities it needs).
$(call nc_user_prog,ai,user/ai/ai.c,ai ncs http inet args)
NC_INITRD_FILES += $(B)/user/bin/ai $(B)/user/bin/ai-service
# The model store of the image: the small text models (Q8_0: the smallest
# files that keep their quality), the speech model and one sample WAV for
# `ai transcribe tiny-asr-f16 /models/speech-s0001.wav`; about 4.3 MB in all.
NC_INITRD_MODELS += tools/models/tiny-llama-q8_0.gguf tools/models/tiny-moe-q8_0.gguf tools/models/tiny-asr-f16.gguf \
	tools/models/speech-s0001.wav
# The in-OS tests of the service (tests/user/ai).
$(call nc_user_prog,aitests,$(AITESTS_SRCS),ai ncs http inet cap scope wire crypto sodium_nc blake3_nc)
# The service's benchmark (bench/user/ai).
$(call nc_user_prog,aibench,$(AIBENCH_SRCS),ai)
# The router tests' provider (tests/user/ai/testprov.c).
$(call nc_user_prog,ai-testprov,tests/user/ai/testprov.c)

# The AI service in NexaCore: ai_qemu_test.sh boots aitests with the service and
# the models (the program is made in user/services/ai/build.mk, after nc_user_prog).
AITESTS_SRCS := $(NC_TEST_USER_SRCS) tests/user/ai/aitests.c tests/user/ai/ai_router.c tests/user/ai/ai_grind.c tests/user/ai/ai_privacy.c \
	tests/user/ai/ai_pool.c
NC_SCRIPT_TESTS += tests/user/ai/ai_qemu_test.sh
NC_TEST_DEPS += $(B)/esp-test.img $(B)/user/bin/aitests $(B)/user/bin/ai-testprov $(B)/user/bin/ncs $(B)/user/bin/ai-service build/rel/bin/nc-ai $(B)/ai-asr/asr-rand.gguf

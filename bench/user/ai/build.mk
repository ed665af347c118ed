# bench/user/ai: the AI service against lib/ai called directly in one NexaCore
# process (aibench, made in user/services/ai/build.mk after nc_user_prog).
AIBENCH_SRCS := bench/user/ai/aibench.c bench/kernel/kbench_util.c
NC_BENCH_SCRIPTS += bench/user/ai/ai_service_bench.sh

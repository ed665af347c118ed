# tools/nc-ai: the host command for the AI engine (release and sanitizer builds).
NC_AI_TOOL_SRCS := tools/nc-ai/main.c tools/nc-ai/bench.c tools/nc-ai/cli.c tools/nc-ai/transcribe.c tools/nc-ai/host_env.c
$(call nc_host_prog,nc-ai,$(NC_AI_TOOL_SRCS),ai base,rel,-lpthread -lm)
$(call nc_host_prog,nc-ai,$(NC_AI_TOOL_SRCS),ai base,host,-lpthread -lm)

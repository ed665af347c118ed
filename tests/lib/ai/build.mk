# tests/lib/ai: unit tests of the AI engine. *_host_test.c need files, libc or
# threads (the committed models and PyTorch references under tools/models/).
NC_AI_TEST_HOST := tests/lib/ai/ref_host.c tools/nc-ai/host_env.c
$(call nc_host_test,ai_forward_host_test,tests/lib/ai/forward_host_test.c $(NC_AI_TEST_HOST),ai,-lpthread -lm)
$(call nc_host_test,ai_gguf_test,tests/lib/ai/gguf_test.c,ai)
$(call nc_host_test,ai_math_host_test,tests/lib/ai/math_host_test.c,ai,-lm)
$(call nc_host_test,ai_kern_test,tests/lib/ai/kern_test.c,ai)
$(call nc_host_test,ai_pretok_test,tests/lib/ai/pretok_test.c,ai)
$(call nc_host_test,ai_model_host_test,tests/lib/ai/model_host_test.c $(NC_AI_TEST_HOST),ai,-lpthread -lm)
NC_SCRIPT_TESTS += tests/lib/ai/tokenizer_oracle_test.sh
NC_TEST_DEPS += build/rel/bin/nc-ai
$(call nc_fuzz,ai_gguf_fuzz,tests/lib/ai/gguf_fuzz.c tests/lib/ai/fuzz_alloc.c $(NC_AI_SRCS) $(NC_BASE_SRCS))
# Seeds for the fuzzer: two tiny valid models (NumPy only), made before it is built.
$(B)/fuzz/ai_gguf_fuzz: $(B)/fuzz/corpus/ai_gguf_fuzz/seed-dense.gguf
$(B)/fuzz/corpus/ai_gguf_fuzz/seed-dense.gguf: tools/models/make_fuzz_seed.py tools/models/gguf_writer.py tools/models/bpe.py
	@mkdir -p $(dir $@)
	$(Q)/usr/bin/python3 tools/models/make_fuzz_seed.py $(dir $@)
# The GGUF reader against @huggingface/gguf (gguf_oracle_test.sh).
$(call nc_host_prog,gguf_dump,tests/lib/ai/gguf_dump_host.c tools/nc-ai/host_env.c,ai base,host,-lpthread)
NC_SCRIPT_TESTS += tests/lib/ai/gguf_oracle_test.sh
NC_TEST_DEPS += build/host/bin/gguf_dump
$(call nc_host_test,ai_kquant_test,tests/lib/ai/kquant_test.c,ai)
# K-quant forward pass against F32 of the same weights: two GGUFs written by a
# plain-python script (its own dequantization from the ggml block layouts).
$(call nc_host_test,ai_kquant_forward_host_test,tests/lib/ai/kquant_forward_host_test.c $(NC_AI_TEST_HOST),ai,-lpthread -lm)
$(B)/host/bin/ai_kquant_forward_host_test: | $(B)/ai-kquant/kq-mixed.gguf
$(B)/ai-kquant/kq-mixed.gguf: tests/lib/ai/make_kquant_model.py tools/models/bpe.py
	$(Q)/usr/bin/python3 tests/lib/ai/make_kquant_model.py $(dir $@)
$(call nc_host_test,ai_q8k_test,tests/lib/ai/q8k_test.c,ai)
# Work bounds on hostile names: counts nc_mem_compare calls through a linker wrap.
NC_AI_WRAP_MEMCMP := -Wl,--wrap=nc_mem_compare
$(call nc_host_test,ai_name_cost_host_test,tests/lib/ai/name_cost_host_test.c tests/lib/ai/gguf_img_host.c tools/nc-ai/host_env.c,ai,$(NC_AI_WRAP_MEMCMP) -lpthread)
# BPE tokenizer fuzzer: text against two small trained vocabularies (gpt2 and
# llama3 pre-tokenizers) made with its seed texts before it is built.
$(call nc_fuzz,ai_tok_fuzz,tests/lib/ai/tok_fuzz.c tests/lib/ai/fuzz_alloc.c $(NC_AI_SRCS) $(NC_BASE_SRCS))
$(B)/fuzz/ai_tok_fuzz: $(B)/fuzz/ai_tok_fuzz.d/vocab-gpt2.gguf
$(B)/fuzz/ai_tok_fuzz.d/vocab-gpt2.gguf: tests/lib/ai/make_tok_fuzz_input.py tools/models/bpe.py tools/models/gguf_writer.py
	$(Q)/usr/bin/python3 tests/lib/ai/make_tok_fuzz_input.py $(dir $@) $(B)/fuzz/corpus/ai_tok_fuzz
# Pre-tokenizer names of llama.cpp on hand-built vocabularies.
$(call nc_host_test,ai_vocab_host_test,tests/lib/ai/vocab_host_test.c tests/lib/ai/gguf_img_host.c tools/nc-ai/host_env.c,ai,-lpthread)
# The host pool (spin, then sleep) and the fused matrix product.
$(call nc_host_test,ai_pool_host_test,tests/lib/ai/pool_host_test.c tools/nc-ai/host_env.c,ai,-lpthread -lm)
# The speech model against PyTorch: a random-weight ncasr model and its reference.
$(call nc_host_test,ai_asr_host_test,tests/lib/ai/asr_host_test.c $(NC_AI_TEST_HOST),ai,-lpthread -lm)
$(B)/host/bin/ai_asr_host_test: | $(B)/ai-asr/asr-rand.gguf
# CTC decoding: the lexicon beam search against ctc_lexicon.py and hand-made logits; bad lexicons.
$(call nc_host_test,ai_asr_decode_host_test,tests/lib/ai/asr_decode_host_test.c $(NC_AI_TEST_HOST),ai,-lpthread -lm)
$(B)/host/bin/ai_asr_decode_host_test: | $(B)/ai-asr/asr-rand.gguf
$(B)/ai-asr/asr-rand.gguf: tests/lib/ai/make_asr_model.py tools/models/speech_model.py tools/models/speech_data.py \
		tools/models/train_speech.py tools/models/ctc_lexicon.py tools/models/gguf_writer.py tools/models/gguf_reader.py
	$(Q)/usr/bin/python3 tests/lib/ai/make_asr_model.py $(dir $@)
# The trained speech model on its held-out set, rendered again: lib/ai's text equals PyTorch's.
NC_SCRIPT_TESTS += tests/lib/ai/asr_model_test.sh

/* Pre-tokenizer splits, worked out by hand from the three patterns (see
 * lib/ai/pretok.c): each case lists the expected pieces separated by '|'. */
#include "../../../lib/ai/ai_int.h"

#include <nc/mem.h>
#include <nc_test.h>

static bool splits_as(ai_pretok_t style, const char *text, const char *want)
{
	char got[256];
	size_t n = nc_str_len(text), g = 0;
	for (size_t pos = 0; pos < n;) {
		size_t len = ai_pretok_next(style, (const uint8_t *)text, n, pos);
		if (len == 0 || pos + len > n || g + len + 1 >= sizeof got)
			return false;
		if (pos)
			got[g++] = '|';
		nc_mem_copy(got + g, text + pos, len);
		g += len;
		pos += len;
	}
	got[g] = 0;
	if (nc_str_compare(got, want) != 0) {
		nc_test_note("split \"%s\" -> \"%s\", want \"%s\"", text, got, want);
		return false;
	}
	return true;
}

NC_TEST(ai_pretok, gpt2_pattern)
{
	NC_CHECK(splits_as(AI_PRE_GPT2, "Hello world", "Hello| world"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "I'm here, they'll", "I|'m| here|,| they|'ll"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "It'S", "It|'|S"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "a  b", "a| | b"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "x   \n\ny", "x|   \n|\n|y"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "end  ", "end|  "));
	NC_CHECK(splits_as(AI_PRE_GPT2, "abc123 4567!?", "abc|123| 4567|!?"));
	NC_CHECK(splits_as(AI_PRE_GPT2, " ...foo", " ...|foo"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "snake_case", "snake|_|case"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9| \xe6\x97\xa5\xe6\x9c\xac"));
	NC_CHECK(splits_as(AI_PRE_GPT2, "x\xc2\xb2", "x|\xc2\xb2"));            /* superscript two: No */
	NC_CHECK(splits_as(AI_PRE_GPT2, "a\xc2\xa0" "b", "a|\xc2\xa0|b"));     /* NBSP is \s; 1 space */
	NC_CHECK(splits_as(AI_PRE_GPT2, "\xff\xfe" "a", "\xff\xfe|a"));        /* invalid UTF-8: other */
}

NC_TEST(ai_pretok, llama3_pattern)
{
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "Hello world", "Hello| world"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "I'M here", "I|'M| here"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "12345678", "123|456|78"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "(hello)", "(hello|)"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "x  \n\n  y", "x|  \n\n| | y"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "ok.\n\nNext", "ok|.\n\n|Next"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, "a  b", "a| | b"));
	NC_CHECK(splits_as(AI_PRE_LLAMA3, " !!", " !!"));
}

NC_TEST(ai_pretok, qwen2_pattern)
{
	NC_CHECK(splits_as(AI_PRE_QWEN2, "12345", "1|2|3|4|5"));
	NC_CHECK(splits_as(AI_PRE_QWEN2, "I'M x2 (hello)", "I|'M| x|2| (|hello|)"));
	NC_CHECK(splits_as(AI_PRE_QWEN2, "ok.\n\nNext", "ok|.\n\n|Next"));
}

/* libFuzzer target: arbitrary bytes as a slide, an image and a relocation
 * table for nc_kreloc_apply, the loader's use. The promises of nc/kreloc.h
 * are checked from the outside: on an error the image is untouched; on
 * success the header reads back, the slide is a multiple of its alignment,
 * and every byte of the image outside the listed fields is unchanged (each
 * field is checked to have moved by exactly the slide when the lists do not
 * overlap). A crash, sanitizer report or broken promise (abort) is a finding.
 * Input: 8 bytes slide, 1 byte image length / 4, image bytes, then the table. */
#include <nc/kreloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void promise(bool ok)
{
	if (!ok)
		abort();
}

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Mark the width-byte fields of the n offsets at list in covered[]; false
 * when two fields share a byte. */
static bool mark(const uint8_t *list, uint32_t n, int width, uint8_t *covered)
{
	bool disjoint = true;
	for (uint32_t i = 0; i < n; i++)
		for (int b = 0; b < width; b++)
			disjoint &= !covered[le(list + 4 * i, 4) + b]++;
	return disjoint;
}

static void check_fields(const uint8_t *list, uint32_t n, int width, const uint8_t *before,
			 const uint8_t *after, uint64_t slide)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t off = le(list + 4 * i, 4), mask = width == 8 ? ~0ull : 0xffffffffull;
		promise(((le(before + off, width) + slide) & mask) == le(after + off, width));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9 || (size_t)data[8] * 4 > size - 9)
		return 0;
	uint64_t slide = le(data, 8);
	size_t image_bytes = (size_t)data[8] * 4;
	const uint8_t *table = data + 9 + image_bytes;
	size_t table_bytes = size - 9 - image_bytes;
	uint8_t *image = malloc(image_bytes + 1), *before = malloc(image_bytes + 1);
	uint8_t *covered = calloc(image_bytes + 1, 1);
	memcpy(image, data + 9, image_bytes);
	memcpy(before, data + 9, image_bytes);
	nc_kreloc_err_t err = nc_kreloc_apply(image, image_bytes, table, table_bytes, slide);
	if (err) {
		promise(memcmp(image, before, image_bytes) == 0);
	} else {
		nc_kreloc_header_t h;
		promise(nc_kreloc_read_header(table, table_bytes, &h) == NC_KRELOC_OK);
		promise((slide & ((1ull << h.align_log2) - 1)) == 0);
		const uint8_t *l64 = table + NC_KRELOC_HEADER_BYTES, *l32 = l64 + 4 * (size_t)h.n_abs64;
		bool disjoint = mark(l64, h.n_abs64, 8, covered);
		disjoint &= mark(l32, h.n_abs32s, 4, covered);
		for (size_t i = 0; i < image_bytes; i++)
			promise(covered[i] || image[i] == before[i]);
		if (disjoint) {
			check_fields(l64, h.n_abs64, 8, before, image, slide);
			check_fields(l32, h.n_abs32s, 4, before, image, slide);
		}
	}
	free(image);
	free(before);
	free(covered);
	return 0;
}

/* Driver start-up helpers (see nc/driver.h). */
#include <nc/driver.h>
#include <nc/hex.h>
#include <nc/mem.h>

/* A hexadecimal number at *s (optional 0x); advances *s. */
static bool hex(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	if (end - p > 2 && p[0] == '0' && p[1] == 'x')
		p += 2;
	uint64_t x = 0;
	const char *start = p;
	for (; p < end; p++) {
		int d = nc_hex_digit_value(*p);
		if (d < 0 || x >> 60)
			break;
		x = x << 4 | (uint64_t)d;
	}
	*s = p;
	*v = x;
	return p > start;
}

static bool word(const char *w, const char *end, nc_driver_args_t *a)
{
	uint64_t x = 0, y = 0;
	size_t n = (size_t)(end - w);
	if (n > 4 && nc_mem_compare(w, "pci=", 4) == 0 && n - 4 < sizeof a->pci) {
		nc_mem_copy(a->pci, w + 4, n - 4);
		const char *p = w + 4;
		uint64_t seg, bus, dev, fn;
		bool ok = hex(&p, end, &seg) && *p++ == ':' && hex(&p, end, &bus) && *p++ == ':' &&
			  hex(&p, end, &dev) && *p++ == '.' && hex(&p, end, &fn) && p == end;
		a->bdf = seg << 16 | bus << 8 | dev << 3 | fn;
		return ok;
	}
	if (n > 3 && nc_mem_compare(w, "id=", 3) == 0) {
		const char *p = w + 3;
		bool ok = hex(&p, end, &x) && p < end && *p++ == ':' && hex(&p, end, &y) && p == end;
		a->vendor = (uint16_t)x;
		a->device = (uint16_t)y;
		return ok;
	}
	if (n > 5 && nc_mem_compare(w, "bar", 3) == 0 && w[3] >= '0' && w[3] < '0' + NC_DRIVER_BARS && w[4] == '=') {
		int i = w[3] - '0';
		const char *p = w + 5;
		bool ok = hex(&p, end, &x) && p < end && *p++ == ':' && hex(&p, end, &y) && p == end;
		a->bar_phys[i] = x;
		a->bar_bytes[i] = y;
		return ok;
	}
	if (n > 8 && nc_mem_compare(w, "vectors=", 8) == 0) {
		a->vectors = 0;
		for (const char *p = w + 8; p < end; p++) {
			if (*p < '0' || *p > '9')
				return false;
			a->vectors = a->vectors * 10 + (uint32_t)(*p - '0');
		}
		return true;
	}
	return false;
}

bool nc_driver_parse(const char *arg, size_t len, nc_driver_args_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	const char *p = arg, *end = arg + len;
	bool seen_pci = false;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *w = p;
		while (p < end && *p != ' ')
			p++;
		if (w == p)
			break;
		if (!word(w, p, out))
			return false;
		seen_pci |= *w == 'p';
	}
	return seen_pci;
}

nc_sys_err_t nc_driver_map_bar(const nc_driver_args_t *a, int i, volatile uint8_t **regs)
{
	if (i < 0 || i >= NC_DRIVER_BARS || !a->bar_bytes[i])
		return NC_SYS_ERR_INVALID;
	uint64_t addr;
	nc_sys_err_t err = nc_sys_mmio_map(a->bar_phys[i], a->bar_bytes[i], &addr);
	if (!err)
		*regs = (volatile uint8_t *)addr;
	return err;
}

uint64_t nc_driver_control_channel(void)
{
	static nc_sys_handle_info_t info[NC_SYS_HANDLES_MAX];
	uint64_t n = 0;
	if (nc_sys_handle_list(0, info, NC_SYS_HANDLES_MAX, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++)
		if (info[i].type == NC_SYS_HANDLE_CHANNEL)
			return info[i].handle;
	return 0;
}

unsigned nc_driver_instance(uint64_t ch)
{
	char msg[32];
	uint64_t sizes;
	if (!ch || nc_sys_ipc_receive(ch, msg, sizeof msg - 1, NULL, 0, 2000000000ull, &sizes))
		return 0;
	msg[(uint32_t)sizes] = 0;
	unsigned n = 0;
	for (const char *p = msg + 9; nc_str_starts_with(msg, "instance ") && *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (unsigned)(*p - '0');
	return n;
}

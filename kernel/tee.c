/* The kernel's TEE device (kernel/include/kernel/tee.h). */
#include <kernel/console.h>
#include <kernel/measure.h>
#include <kernel/tee.h>
#include <nc/crypto.h>
#include <nc/tee_dev.h>

static nc_tee_t device;
static nc_tee_dev_t dev_state;
static bool open, certified;
static const nc_tee_roots_t roots = { (const uint8_t(*)[NC_TEE_PUBLIC_KEY_BYTES])tee_vendor_root, 1 };

enum { SHOWN_BYTES = 8 };

/* The first SHOWN_BYTES of bytes in hex, NUL-terminated. */
static void hex(char out[2 * SHOWN_BYTES + 1], const uint8_t *bytes)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < SHOWN_BYTES; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * SHOWN_BYTES] = 0;
}

void tee_init(nc_boot_tee_t *tee, nc_boot_tee_t *loader_tee)
{
	nc_tee_dev_config_t cfg = { measure_registers, NULL, NC_TEE_DEV_TCB_SVN, tee->cert, tee->cert_len };
	if (!tee->cert_len)
		cfg.cert = NULL;
	nc_tee_err_t err = NC_TEE_ERR_SECRET_TOO_SHORT;
	if (tee->secret_len) {
		err = nc_tee_dev_open(&device, &dev_state, tee->secret, tee->secret_len, &cfg);
		if (err == NC_TEE_ERR_FORMAT || err == NC_TEE_ERR_CERT) {
			kprintf("tee: device certificate refused (%s); quotes unavailable\n", nc_tee_err_name(err));
			cfg.cert = NULL;
			err = nc_tee_dev_open(&device, &dev_state, tee->secret, tee->secret_len, &cfg);
		}
	}
	nc_crypto_wipe(tee->secret, sizeof tee->secret);
	nc_crypto_wipe(loader_tee->secret, sizeof loader_tee->secret);
	open = err == NC_TEE_OK;
	certified = open && dev_state.has_cert;
	nc_tee_registers_t regs;
	char m[2 * SHOWN_BYTES + 1], d[2 * SHOWN_BYTES + 1];
	measure_registers(NULL, &regs);
	hex(m, regs.boot);
	if (!open) {
		kprintf("tee: image measurement %s..., no device secret: no sealing, no quotes\n", m);
		return;
	}
	uint8_t id[NC_TEE_KEY_ID_BYTES];
	nc_tee_key_id(id, dev_state.device_pk);
	hex(d, id);
	kprintf("tee: image measurement %s..., dev backend, device %s...%s%s\n", m, d,
		certified ? ", certified" : ", not certified (no quotes)",
		tee->flags & NC_BOOT_TEE_CREATED ? ", secret new this boot" : "");
}

const nc_tee_t *tee_device(void) { return open ? &device : NULL; }

bool tee_certified(void) { return certified; }

const nc_tee_roots_t *tee_roots(void) { return &roots; }

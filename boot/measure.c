/* Measured boot and the development TEE's device (docs/attestation.md).
 * The loader hashes (BLAKE3, lib/crypto) the kernel file, the initrd and the
 * command line before it jumps and hands the digests over in the boot info;
 * the kernel starts its measurement log with them. It also reads the device
 * secret that stands in for fused hardware keys, \nexacore\device.secret,
 * making one on a device's first boot with the firmware's RNG (UEFI 2.10,
 * 37.5 EFI_RNG_PROTOCOL) or, where the firmware has none (OVMF without a
 * virtio-rng), the CPU's RDRAND (Intel SDM Vol. 1 7.3.17), and reads the
 * vendor's certificate, \nexacore\device.cert.
 * A device without a secret still boots: the kernel then offers no sealing
 * and no quotes. */
#include "loader.h"
#include <nc/crypto.h>
#include <nc/mem.h>

static CHAR16 secret_path[] = L"\\nexacore\\device.secret";
static CHAR16 cert_path[] = L"\\nexacore\\device.cert";
enum { NEW_SECRET_BYTES = 32, MIN_SECRET_BYTES = 32, RDRAND_RETRIES = 16 };

void measure_bytes(uint8_t out[NC_BOOT_DIGEST_BYTES], const void *data, UINTN len_bytes)
{
	nc_crypto_blake3(out, NC_BOOT_DIGEST_BYTES, data, len_bytes);
}

static void free_file(loader_file_t *f)
{
	uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)f->data,
			  EFI_SIZE_TO_PAGES(f->size_bytes ? f->size_bytes : 1));
}

/* Read path into out[0..max) when it exists and is min..max bytes long; the
 * pages it was read into are wiped and freed. Returns its length, 0 if absent. */
static UINTN read_small(EFI_FILE_HANDLE root, CHAR16 *path, UINT8 *out, UINTN min, UINTN max, EFI_STATUS *s)
{
	loader_file_t f;
	*s = files_read(root, path, EfiLoaderData, &f);
	if (EFI_ERROR(*s))
		return 0;
	UINTN n = f.size_bytes >= min && f.size_bytes <= max ? f.size_bytes : 0;
	if (n)
		nc_mem_copy(out, f.data, n);
	else
		Print(L"nexacore-boot: %s is not %d..%d bytes; ignored\r\n", path, (int)min, (int)max);
	nc_mem_wipe(f.data, f.size_bytes);
	free_file(&f);
	return n;
}

/* n bytes (a multiple of 8) from RDRAND, which CPUID.01H:ECX bit 30 announces;
 * a few retries per word for a transient underflow, as the SDM advises. */
static EFI_STATUS rdrand_bytes(UINT8 *out, UINTN n)
{
	UINT32 a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c >> 30 & 1))
		return EFI_NOT_FOUND;
	for (UINTN i = 0; i < n; i += 8) {
		UINT64 v;
		UINT8 ok = 0;
		for (int tries = 0; tries < RDRAND_RETRIES && !ok; tries++)
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok)::"cc");
		if (!ok)
			return EFI_DEVICE_ERROR;
		nc_mem_copy(out + i, &v, 8);
	}
	return EFI_SUCCESS;
}

static EFI_STATUS random_bytes(UINT8 *out, UINTN n)
{
	EFI_GUID guid = EFI_RNG_PROTOCOL_GUID;
	EFI_RNG_PROTOCOL *rng;
	EFI_STATUS s = LibLocateProtocol(&guid, (void **)&rng);
	if (!EFI_ERROR(s))
		s = uefi_call_wrapper(rng->GetRNG, 4, rng, NULL, n, out);
	return EFI_ERROR(s) ? rdrand_bytes(out, n) : s;
}

static EFI_STATUS write_file(EFI_FILE_HANDLE root, CHAR16 *path, const UINT8 *data, UINTN n)
{
	EFI_FILE_HANDLE f;
	EFI_STATUS s = uefi_call_wrapper(root->Open, 5, root, &f, path,
					 EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
	if (EFI_ERROR(s))
		return s;
	UINTN written = n;
	s = uefi_call_wrapper(f->Write, 3, f, &written, (void *)data);
	if (!EFI_ERROR(s) && written != n)
		s = EFI_VOLUME_FULL;
	EFI_STATUS c = uefi_call_wrapper(f->Close, 1, f); /* Close flushes */
	return EFI_ERROR(s) ? s : c;
}

/* A first boot: a fresh secret, kept on the ESP for the next boots. */
static void create_secret(EFI_FILE_HANDLE root, nc_boot_tee_t *tee)
{
	EFI_STATUS s = random_bytes(tee->secret, NEW_SECRET_BYTES);
	if (!EFI_ERROR(s))
		s = write_file(root, secret_path, tee->secret, NEW_SECRET_BYTES);
	if (EFI_ERROR(s)) {
		nc_mem_wipe(tee->secret, sizeof tee->secret);
		Print(L"nexacore-boot: cannot make a device secret (%r); no sealing, no quotes\r\n", s);
		return;
	}
	tee->secret_len = NEW_SECRET_BYTES;
	tee->flags |= NC_BOOT_TEE_CREATED;
	Print(L"nexacore-boot: new device secret in %s\r\n", secret_path);
}

void measure_tee_device(EFI_FILE_HANDLE root, nc_boot_info_t *bi)
{
	EFI_STATUS s;
	nc_boot_tee_t *tee = &bi->tee;
	tee->secret_len = (UINT32)read_small(root, secret_path, tee->secret, MIN_SECRET_BYTES,
					     NC_BOOT_TEE_SECRET_MAX, &s);
	if (s == EFI_NOT_FOUND)
		create_secret(root, tee);
	tee->cert_len = (UINT32)read_small(root, cert_path, tee->cert, 1, NC_BOOT_TEE_CERT_MAX, &s);
}

/* Reading files from the ESP the loader was started from (UEFI 2.10, 13.4
 * Simple File System and 13.5 File Protocol). */
#include "loader.h"

EFI_STATUS files_open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					 (void **)&li);
	if (EFI_ERROR(s))
		return loader_fail(s, "loaded image", "no LoadedImage protocol");
	*root = LibOpenRoot(li->DeviceHandle);
	if (!*root)
		return loader_fail(EFI_NOT_FOUND, "boot volume", "cannot open the ESP file system");
	return EFI_SUCCESS;
}

EFI_STATUS files_read(EFI_FILE_HANDLE root, CHAR16 *path, EFI_MEMORY_TYPE mem_type,
		      loader_file_t *out)
{
	EFI_FILE_HANDLE f;
	EFI_STATUS s = uefi_call_wrapper(root->Open, 5, root, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s))
		return s;
	EFI_FILE_INFO *info = LibFileInfo(f);
	if (!info) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_DEVICE_ERROR;
	}
	UINTN size = info->FileSize;
	FreePool(info);
	EFI_PHYSICAL_ADDRESS phys;
	UINTN pages = EFI_SIZE_TO_PAGES(size ? size : 1);
	s = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, mem_type, pages, &phys);
	if (!EFI_ERROR(s)) {
		UINTN got = size;
		s = uefi_call_wrapper(f->Read, 3, f, &got, (void *)phys);
		if (!EFI_ERROR(s) && got != size)
			s = EFI_END_OF_FILE;
		if (EFI_ERROR(s))
			uefi_call_wrapper(BS->FreePages, 2, phys, pages);
	}
	uefi_call_wrapper(f->Close, 1, f);
	out->data = (void *)phys;
	out->size_bytes = size;
	return s;
}

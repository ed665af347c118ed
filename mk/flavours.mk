# Compiler flavours. Every lib/ source builds in each flavour its library asks for:
#   host   : hosted, for unit tests and tools, ASan+UBSan, warnings are errors
#   rel    : hosted, optimised, no sanitizers; for benchmarks and the shipped host tools
#   kernel : freestanding, higher half (-mcmodel=kernel), no red zone, no SSE/x87
#            (the kernel never saves its own FPU state, so it never touches it)
#   user   : freestanding NexaCore programs, static, SSE allowed (XSAVE per thread)
#   wasm   : freestanding WebAssembly (clang --target=wasm32, no libc), only for the
#            in-browser ncScript tutorial (web/): lib/ncs and what it needs
CC      ?= gcc
HOST_CC := gcc
FUZZ_CC := clang
LD      := ld
AR      := ar
OBJCOPY := objcopy
GCC_INC := $(shell $(HOST_CC) -print-file-name=include)

NC_WARN := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
# Include paths (docs/architecture.md, "Layering"): every object gets the generated headers;
# the rest comes per object from what it may use (mk/rules.mk: nc_lib_inc): a library's own
# headers and those of the libraries it depends on, a program's LIBS, the kernel's
# KERNEL_LIBS, and tests/harness only for sources under tests/.
NC_INC  = -I$(B)/gen/include

FREESTANDING := -ffreestanding -nostdinc -isystem $(GCC_INC) -fno-stack-protector \
                -fno-pic -fno-pie -fno-tree-loop-distribute-patterns -fno-omit-frame-pointer -D NC_FREESTANDING=1

CFLAGS_host   := $(NC_WARN) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                 -fno-sanitize-recover=all -D NC_HOSTED=1
LDFLAGS_host  := -fsanitize=address,undefined
CFLAGS_rel    := $(NC_WARN) -g -O2 -march=x86-64-v2 -D NC_HOSTED=1 -D NDEBUG
LDFLAGS_rel   :=
CFLAGS_kernel := $(NC_WARN) $(FREESTANDING) -g -O2 -mcmodel=kernel -mno-red-zone \
                 -mgeneral-regs-only -D NC_KERNEL=1
CFLAGS_user   := $(NC_WARN) $(FREESTANDING) -g -O2 -D NC_USER=1
# efi: the UEFI loader (gnu-efi): position independent, MS-ABI calls into firmware
CFLAGS_efi    := $(NC_WARN) -ffreestanding -nostdinc -isystem $(GCC_INC) -fno-stack-protector \
                 -fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
                 -DGNU_EFI_USE_MS_ABI -D NC_FREESTANDING=1 -D NC_EFI=1 -g -O2 \
                 -isystem /usr/include/efi -isystem /usr/include/efi/x86_64
# wasm: Debian's clang and lld; -fno-math-errno so __builtin_sqrt is the f64.sqrt instruction
WASM_CC := clang
WASM_AR := llvm-ar
WASM_LD := wasm-ld
CFLAGS_wasm   := $(NC_WARN) --target=wasm32 -ffreestanding -nostdinc \
                 -isystem $(shell $(WASM_CC) -print-resource-dir 2>/dev/null)/include \
                 -fno-math-errno -mbulk-memory -O2 -D NC_FREESTANDING=1 -D NC_WASM=1
ASFLAGS_kernel := -g
ASFLAGS_user   := -g

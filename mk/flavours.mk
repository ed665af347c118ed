# Compiler flavours. Every lib/ source builds in each flavour its library asks for:
#   host   : hosted, for unit tests and tools, ASan+UBSan, warnings are errors
#   rel    : hosted, optimised, no sanitizers; for benchmarks and the shipped host tools
#   kernel : freestanding, higher half (-mcmodel=kernel), no red zone, no SSE/x87
#            (the kernel never saves its own FPU state, so it never touches it)
#   user   : freestanding NexaCore programs, static, SSE allowed (XSAVE per thread)
CC      ?= gcc
HOST_CC := gcc
FUZZ_CC := clang
LD      := ld
AR      := ar
OBJCOPY := objcopy
GCC_INC := $(shell $(HOST_CC) -print-file-name=include)

NC_WARN := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
NC_INC  = $(patsubst %,-I%,$(wildcard lib/*/include)) -Iabi/include -Itests/harness -I$(B)/gen/include

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
ASFLAGS_kernel := -g
ASFLAGS_user   := -g

# NexaCore: the one build. Non-recursive: every directory that builds something
# has a build.mk fragment, included here. Outputs go to build/ only.
#
#   make            build everything (host tools and tests, kernel, loader, user programs,
#                   the ncScript tutorial page)
#   make image      the FAT ESP image with loader, kernel and initrd
#   make run        install what is missing, build, boot in QEMU (serial on the terminal)
#   make run GUI=1  the same with a framebuffer window
#   make run NET=1  the same with a virtio-net NIC (NET=e1000e: an e1000e; docs/network.md)
#   make run DISK=F the NVMe disk is the raw file F instead of build/disk.img
#   make test       host unit tests (ASan+UBSan) and QEMU tests; last line "N passed, N failed"
#   make bench      benchmarks (reported, never asserted)
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make tutorial   the ncScript tutorial (lib/ncs in WebAssembly), served on 127.0.0.1

.DEFAULT_GOAL := all
SHELL := /bin/bash
B := build

include mk/flavours.mk
include mk/rules.mk
include $(sort $(shell find lib kernel boot abi user tools tests bench web -name build.mk 2>/dev/null))
include mk/image.mk
include mk/targets.mk

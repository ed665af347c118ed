# lib/inet: "HOST:PORT" endpoint text, strict parsing and one canonical form
# (the kernel's net.connect scope checks, the network service, the tools).
NC_INET_SRC := lib/inet/inet.c
$(call nc_lib,inet,$(NC_INET_SRC),host rel kernel user wasm)

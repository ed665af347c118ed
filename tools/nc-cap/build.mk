# tools/nc-cap: capability tokens on the command line (host, optimised build).
$(call nc_host_prog,nc-cap,tools/nc-cap/main.c tools/nc-cap/args.c,cap tee crypto blake3_nc wire scope base,rel,-l:libsodium.a)

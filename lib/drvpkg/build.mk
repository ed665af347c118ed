# lib/drvpkg: signed driver packages (manifest in postcard, BLAKE3 image hash, Ed25519).
$(call nc_lib,drvpkg,lib/drvpkg/manifest.c lib/drvpkg/package.c,host rel kernel user,crypto wire)

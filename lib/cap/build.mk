# lib/cap: signed capability tokens with offline attenuation (needs scope, wire, crypto).
$(call nc_lib,cap,lib/cap/cap.c lib/cap/format.c lib/cap/mint.c lib/cap/verify.c,host rel kernel user,crypto scope wire)

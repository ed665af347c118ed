# lib/tee: the root-of-trust interface and its development mock backend (needs crypto).
$(call nc_lib,tee,lib/tee/tee.c lib/tee/mock.c,host rel kernel user)

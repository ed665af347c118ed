# lib/hpke: HPKE (RFC 9180) with DHKEM(X25519, HKDF-SHA256), on lib/crypto.
$(call nc_lib,hpke,lib/hpke/kem.c lib/hpke/hpke.c,host rel user,crypto)

# lib/envelope: NexaCore envelopes, HPKE sessions to an attested key (needs hpke, tee).
$(call nc_lib,envelope,lib/envelope/envelope.c,host rel user,crypto hpke tee wire)

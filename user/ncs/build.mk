# user/ncs: the ncScript runner on NexaCore (lib/ncs, as the host tool uses it).
$(call nc_user_prog,ncs,user/ncs/ncs.c user/ncs/net_effects.c,ncs http inet scope args ai)
NC_INITRD_FILES += $(B)/user/bin/ncs user/ncs/examples/hello.ncs user/ncs/examples/notes.ncs \
	user/ncs/examples/netget.ncs

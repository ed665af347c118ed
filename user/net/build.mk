# user/net: network programs for the shell (docs/network.md).
$(call nc_user_prog,ping,user/net/ping.c)
NC_INITRD_FILES += $(B)/user/bin/ping

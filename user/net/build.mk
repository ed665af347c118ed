# user/net: network programs for the shell (docs/network.md).
$(call nc_user_prog,ping,user/net/ping.c)
NC_INITRD_FILES += $(B)/user/bin/ping
$(call nc_user_prog,fetch,user/net/fetch.c,args crypto sodium_nc blake3_nc http inet)
NC_INITRD_FILES += $(B)/user/bin/fetch
$(call nc_user_prog,httpd,user/net/httpd.c user/net/http.c,args)
NC_INITRD_FILES += $(B)/user/bin/httpd

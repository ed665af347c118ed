# user/demo: small programs that show the system's guarantees from the shell.
$(call nc_user_prog,spin,user/demo/spin.c)
$(call nc_user_prog,readfile,user/demo/readfile.c)
$(call nc_user_prog,upcase,user/demo/upcase.c)
$(call nc_user_prog,writefile,user/demo/writefile.c)
$(call nc_user_prog,hog,user/demo/hog.c)
NC_INITRD_FILES += $(B)/user/bin/spin $(B)/user/bin/readfile $(B)/user/bin/upcase $(B)/user/bin/writefile \
	$(B)/user/bin/hog
# usertests quota.default_shares_the_parents_quota starts small spin processes.
NC_TEST_INITRD_FILES += $(B)/user/bin/spin

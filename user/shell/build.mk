# user/shell: the terminal shell (core in shell.c, core_cmds.c, grant.c, jobs.c,
# typeahead.c; NexaCore commands and entry in the rest).
SHELL_SRCS := user/shell/shell.c user/shell/core_cmds.c user/shell/grant.c user/shell/jobs.c \
	user/shell/typeahead.c user/shell/main.c \
	user/shell/sys_cmds.c user/shell/dev_cmds.c user/shell/net_cmds.c user/shell/file_cmds.c user/shell/write_cmds.c user/shell/redirect.c user/shell/run.c user/shell/job_cmds.c user/shell/grant_derive.c user/shell/stdin.c user/shell/ncs_repl.c \
	user/shell/tee_cmds.c user/shell/tty.c
$(call nc_user_prog,shell,$(SHELL_SRCS),ncs http inet lineedit args cap tee scope wire crypto sodium_nc blake3_nc)
NC_INITRD_FILES += $(B)/user/bin/shell

# lib/args: command-line word splitting (shell, user programs, tools).
$(call nc_lib,args,lib/args/args.c,host rel user)

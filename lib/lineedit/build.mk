# lib/lineedit: terminal line editing (shell, REPLs).
$(call nc_lib,lineedit,lib/lineedit/lineedit.c,host rel user)

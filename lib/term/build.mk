# lib/term: the terminal emulator core (nc/term.h).
$(call nc_lib,term,lib/term/screen.c lib/term/parse.c lib/term/keys.c,host rel user)

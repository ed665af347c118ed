# user/desktop: the graphical desktop (docs/desktop.md): the session
# (`desktop`), the compositor, and the programs with windows. They share the
# client library user/desktop/lib and the headers of user/desktop/include.
DESK_LIB_SRCS := user/desktop/lib/font.c user/desktop/lib/window.c
DESK_LIBS := gfx font keymap
DESK_COMPOSITOR_SRCS := $(addprefix user/desktop/compositor/,main.c wm.c client.c compose.c input.c)
DESK_SESSION_SRCS := user/desktop/session/session.c user/desktop/session/commands.c user/desktop/session/input.c

$(call nc_user_prog,compositor,$(DESK_COMPOSITOR_SRCS) $(DESK_LIB_SRCS),$(DESK_LIBS) input)
$(call nc_user_prog,desktop,$(DESK_SESSION_SRCS),keymap cap scope wire crypto sodium_nc blake3_nc)
$(call nc_user_prog,wintest,user/desktop/wintest/wintest.c $(DESK_LIB_SRCS),$(DESK_LIBS))
$(call nc_user_prog,terminal,user/desktop/terminal/terminal.c $(DESK_LIB_SRCS),term $(DESK_LIBS))
$(call nc_user_prog,panel,user/desktop/panel/panel.c $(DESK_LIB_SRCS),$(DESK_LIBS))
$(call nc_user_prog,sysmon,user/desktop/sysmon/sysmon.c $(DESK_LIB_SRCS),$(DESK_LIBS))
$(call nc_user_prog,files,user/desktop/files/files.c $(DESK_LIB_SRCS),$(DESK_LIBS))
$(call nc_user_prog,chat,user/desktop/chat/chat.c $(DESK_LIB_SRCS),ai $(DESK_LIBS))

DESK_OBJS := $(call nc_objs,$(DESK_LIB_SRCS) $(DESK_COMPOSITOR_SRCS) $(DESK_SESSION_SRCS) \
	$(addprefix user/desktop/,wintest/wintest.c terminal/terminal.c panel/panel.c sysmon/sysmon.c files/files.c chat/chat.c),user)
$(DESK_OBJS): CFLAGS_user += -Iuser/desktop/include
DESK_PROGS := $(addprefix $(B)/user/bin/,compositor desktop wintest terminal panel sysmon files chat)
NC_INITRD_FILES += $(DESK_PROGS)
NC_TEST_INITRD_FILES += $(DESK_PROGS)

# The fonts, from Debian's fonts-dejavu-core, under /fonts in both initrds.
NC_INITRD_FONTS := $(addprefix /usr/share/fonts/truetype/dejavu/,DejaVuSans.ttf DejaVuSansMono.ttf)

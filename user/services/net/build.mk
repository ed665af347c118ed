# user/services/net: netsvc, the network service (docs/network.md), on lwIP
# 2.1.3 built freestanding from Debian's source package
# (scripts/deps.d/net.pkgs: src lwip) into build/user/lib/liblwip_nc.a: the
# core, IPv4 (ARP, ICMP, DHCP, fragments), IPv6 (ND, stateless DHCPv6,
# ICMPv6, MLD, fragments) and Ethernet, with our lwipopts.h
# and arch/cc.h (user/services/net/include) and nothing of lwIP's OS layers
# (NO_SYS). lwIP gets the flags of lib/crypto's third-party code
# (nc_tp_cflags: no warnings, the stand-in libc headers); our files include
# its headers as system headers.
NC_LWIP_ROOT := $(B)/src/lwip/lwip-2.1.3+dfsg1/src
NC_LWIP_FILES := core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c \
	core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c \
	core/timeouts.c core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
	core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c core/ipv6/dhcp6.c core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c \
	core/ipv6/ip6.c core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c core/ipv6/mld6.c core/ipv6/nd6.c netif/ethernet.c
NC_LWIP_INC := -Iuser/services/net/include -isystem $(NC_LWIP_ROOT)/include
NC_LWIP_OBJS := $(patsubst %.c,$(B)/user/third_party/lwip/%.o,$(NC_LWIP_FILES))
# DHCP and DHCPv6 both write lwIP's DNS server slots from 0 up: their calls
# go to netsvc's table instead, which knows where each server came from and
# lays them out in one list (dns_servers.c)
$(B)/user/third_party/lwip/core/ipv4/dhcp.o: NC_LWIP_DEFS := -Ddns_setserver=net_dns_from_dhcp
$(B)/user/third_party/lwip/core/ipv6/dhcp6.o: NC_LWIP_DEFS := -Ddns_setserver=net_dns_from_dhcp6

# After the other source packages' fetch (lib/privacy/build.mk), so that two
# scripts/deps runs never overlap.
$(B)/src/lwip/.fetched: | $(B)/src/bearssl/.fetched $(B)/src/libb2/.fetched
	scripts/deps
$(addprefix $(NC_LWIP_ROOT)/,$(NC_LWIP_FILES)): $(B)/src/lwip/.fetched

$(B)/user/third_party/lwip/%.o: $(NC_LWIP_ROOT)/%.c user/services/net/include/lwipopts.h \
		user/services/net/include/net_hooks.h \
		user/services/net/include/arch/cc.h
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  CC  $@")
	$(Q)$(HOST_CC) $(call nc_tp_cflags,user) $(NC_LWIP_INC) $(NC_LWIP_DEFS) -MMD -MP -c $< -o $@
$(B)/user/lib/liblwip_nc.a: $(NC_LWIP_OBJS) $(B)/user/lib/crypto/libc_glue.o
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
-include $(NC_LWIP_OBJS:.o=.d)

NETSVC_SRCS := user/services/net/main.c user/services/net/port.c user/services/net/sock.c \
	user/services/net/tcp.c user/services/net/timewait.c user/services/net/dgram.c user/services/net/resolve.c \
	user/services/net/iface.c user/services/net/dns_servers.c user/services/net/tso.c user/services/net/isn.c user/services/net/isn_hook.c
$(call nc_objs,$(NETSVC_SRCS),user): CFLAGS_user += $(NC_LWIP_INC)
$(call nc_objs,$(NETSVC_SRCS),user): | $(B)/src/lwip/.fetched
$(call nc_user_prog,netsvc,$(NETSVC_SRCS),inet lwip_nc crypto sodium_nc blake3_nc)
NC_INITRD_FILES += $(B)/user/bin/netsvc
NC_TEST_INITRD_FILES += $(B)/user/bin/netsvc

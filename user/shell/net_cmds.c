/* Network commands: ip (interfaces, addresses, routes, link state, the DNS
 * servers learned and from which protocol; NetInterfaceList, docs/network.md). Sockets are the programs' business
 * (`run --grant net.socket=* --grant net.connect=HOST:* ping HOST`). */
#include "nexacore.h"
#include <nc/fmt.h>

enum { IFACES = NC_SYS_NET_INTERFACES_MAX };

static void ipv4(char *out, size_t cap, uint64_t a)
{
	nc_fmt_format(out, cap, "%llu.%llu.%llu.%llu", (unsigned long long)(a >> 24 & 255),
		      (unsigned long long)(a >> 16 & 255), (unsigned long long)(a >> 8 & 255),
		      (unsigned long long)(a & 255));
}

static shell_err_t cmd_ip(shell_t *sh, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return SHELL_ERR_USAGE;
	static nc_sys_net_interface_t e[IFACES];
	uint64_t n;
	nc_sys_err_t err = nc_sys_net_interface_list(e, IFACES, &n);
	if (err)
		return shell_os_fail(sh, "NetInterfaceList", err);
	for (uint64_t i = 0; i < n && i < IFACES; i++) {
		char addr[16], gw[16];
		ipv4(addr, sizeof addr, e[i].ipv4);
		shell_printf(sh, "%s: %s, link %s, mtu %llu, mac %02llx:%02llx:%02llx:%02llx:%02llx:%02llx\n", e[i].name,
			     e[i].flags & NC_SYS_NET_IF_UP ? "up" : "down", e[i].flags & NC_SYS_NET_IF_LINK ? "up" : "down",
			     (unsigned long long)e[i].mtu, (unsigned long long)(e[i].mac >> 40 & 255),
			     (unsigned long long)(e[i].mac >> 32 & 255), (unsigned long long)(e[i].mac >> 24 & 255),
			     (unsigned long long)(e[i].mac >> 16 & 255), (unsigned long long)(e[i].mac >> 8 & 255),
			     (unsigned long long)(e[i].mac & 255));
		if (e[i].ipv4)
			shell_printf(sh, "    inet %s/%llu%s\n", addr, (unsigned long long)e[i].ipv4_prefix,
				     e[i].flags & NC_SYS_NET_IF_DHCP ? " (dhcp)" : "");
		if (e[i].ipv6_global[0])
			shell_printf(sh, "    inet6 %s\n", e[i].ipv6_global);
		if (e[i].ipv6_link[0])
			shell_printf(sh, "    inet6 %s (link-local)\n", e[i].ipv6_link);
		shell_printf(sh, "    packets: %llu received, %llu sent\n", (unsigned long long)e[i].rx_packets,
			     (unsigned long long)e[i].tx_packets);
		if (e[i].ipv4_gateway) {
			ipv4(gw, sizeof gw, e[i].ipv4_gateway);
			shell_printf(sh, "    route: default via %s\n", gw);
		}
		if (e[i].dns_dhcp[0])
			shell_printf(sh, "    dns %s (dhcp)\n", e[i].dns_dhcp);
		if (e[i].dns_dhcp6[0])
			shell_printf(sh, "    dns %s (dhcpv6)\n", e[i].dns_dhcp6);
	}
	return SHELL_OK;
}

const shell_cmd_t shell_net_cmds[] = {
	{ "ip", "ip", "network interfaces, addresses and routes", cmd_ip, false },
};
const size_t shell_n_net_cmds = sizeof shell_net_cmds / sizeof shell_net_cmds[0];

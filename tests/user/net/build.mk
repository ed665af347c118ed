# The network on a NIC (docs/network.md): a boot with virtio-net on QEMU user
# networking restricted to this machine, the host side on 127.0.0.1.
NC_SCRIPT_TESTS += tests/user/net/net_qemu_test.sh
# user/services/net/tso.c (segments joined into large frames) on the host
$(call nc_host_test,tso_test,tests/user/net/tso_test.c user/services/net/tso.c,)
$(call nc_objs,tests/user/net/tso_test.c user/services/net/tso.c,host): NC_INC += -Iuser/lib/include

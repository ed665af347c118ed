# The network on a NIC (docs/network.md): a boot with virtio-net on QEMU user
# networking restricted to this machine, the host side on 127.0.0.1.
NC_SCRIPT_TESTS += tests/user/net/net_qemu_test.sh
NC_TEST_DEPS += $(B)/esp.img
# user/services/net/tso.c (segments joined into large frames) on the host
$(call nc_host_test,tso_test,tests/user/net/tso_test.c user/services/net/tso.c,)
$(call nc_objs,tests/user/net/tso_test.c user/services/net/tso.c,host): NC_INC += -Iuser/lib/include

# The service's RFC 6528 TCP initial sequence numbers (user/services/net/isn.c)
# on the host, against values from b3sum --keyed.
$(call nc_host_test,netsvc_isn_test,tests/user/net/isn_host_test.c user/services/net/isn.c,crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
$(call nc_objs,tests/user/net/isn_host_test.c,host): NC_INC += -Iuser/services/net

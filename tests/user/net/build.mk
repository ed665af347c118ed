# The network on a NIC (docs/network.md): a boot with virtio-net on QEMU user
# networking restricted to this machine, the host side on 127.0.0.1.
NC_SCRIPT_TESTS += tests/user/net/net_qemu_test.sh

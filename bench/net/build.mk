# bench/net: TCP over the NIC against the Linux guest (net_bench.py, `make bench`): throughput
# both ways and the connection rate of httpd. user/build.mk builds netbench from this list.
NETBENCH_SRCS := bench/net/netbench.c user/net/http.c
NC_BENCH_SCRIPTS += bench/net/net_bench.sh

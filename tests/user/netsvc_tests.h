/* Shared by the network tests (net_tests.c, netsvc_tests.c,
 * netsvc_bulk_tests.c, netsvc_driver_tests.c, netqemu_tests.c). */
#ifndef TESTS_USER_NETSVC_TESTS_H
#define TESTS_USER_NETSVC_TESTS_H

#include "ut_sys.h"

/* Start the network service (the initrd's netsvc, with service.register on
 * "net") and wait until it answers; *pid gets it. */
bool nt_start_netsvc(uint64_t *pid);
/* Kill it and wait for it. */
bool nt_stop_netsvc(uint64_t pid);
/* The byte at offset i of the test stream the TCP tests send. */
uint8_t nt_stream_byte(uint64_t i);
/* One ICMP echo to target ("HOST:0", an address or a name): its payload must
 * come back within 5 s from reply_from ("A.B.C.D:0" or "[V6]:0"). */
bool nt_ping(const char *target, const char *reply_from);
/* Run child name (a ut_*_children entry) with handle 1 a fresh TCP socket
 * (with_socket) and then one "net" capability per (action, scope) pair of
 * caps[0..2 * n_caps); true when it exits with status 0, else the line it
 * failed at is reported. */
bool nt_run_scoped(const char *name, bool with_socket, const char *const *caps, int n_caps);

#endif

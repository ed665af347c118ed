/* nc-privacy noise-peer: one Noise session over TCP on 127.0.0.1, the test
 * peer of the interoperability test (tests/lib/privacy/noise_interop_test.sh
 * runs it against npm's noise-handshake). Protocol
 * Noise_PATTERN_25519_ChaChaPoly_BLAKE2b (the suite noise-handshake speaks);
 * every Noise message travels with a 2-byte big-endian length before it.
 * Handshake message i carries the payload "hs<i>", checked on receipt.
 * Then the initiator sends each --send text and receives one message per
 * --expect; the responder receives first, then sends. Received texts are
 * printed as "recv: TEXT", the peer's static key as "remote-static: HEX".
 * Exit 0 only if every check passed.
 *   noise-peer (--listen PORT | --connect PORT) --pattern P --role initiator|responder
 *              --static HEX [--remote-static HEX] [--prologue TEXT] [--send T]... [--expect T]...
 *   noise-key --static HEX      print the X25519 public key of a private key */
#define _POSIX_C_SOURCE 200809L
#include "opts.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nc/crypto.h>
#include <nc/noise.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IO_TIMEOUT_S 30
#define CONNECT_TRIES 600 /* 50 ms apart: 30 s for the listener to come up (loaded CI) */

static bool io_all(int fd, uint8_t *p, size_t n, bool write_it)
{
	while (n > 0) {
		ssize_t r = write_it ? write(fd, p, n) : read(fd, p, n);
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static bool send_frame(int fd, const uint8_t *msg, size_t len)
{
	uint8_t hdr[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	return io_all(fd, hdr, 2, true) && io_all(fd, (uint8_t *)(uintptr_t)msg, len, true);
}

static bool recv_frame(int fd, uint8_t *msg, size_t *len)
{
	uint8_t hdr[2];
	if (!io_all(fd, hdr, 2, false))
		return false;
	*len = (size_t)hdr[0] << 8 | hdr[1];
	return io_all(fd, msg, *len, false);
}

static int open_socket(const opts_t *o)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	a.sin_port = htons((uint16_t)atoi(o->listen ? o->listen : o->connect));
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (o->listen) {
		int one = 1, c = -1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 1) == 0)
			c = accept(fd, NULL, NULL);
		close(fd);
		fd = c;
	} else {
		int r = -1;
		for (int i = 0; i < CONNECT_TRIES && (r = connect(fd, (struct sockaddr *)&a, sizeof a)) != 0; i++)
			nanosleep(&(struct timespec){ .tv_nsec = 50000000 }, NULL);
		if (r != 0) {
			close(fd);
			return -1;
		}
	}
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static bool handshake(int fd, nc_noise_handshake_t *hs)
{
	static uint8_t msg[NC_NOISE_MAX_MESSAGE], pl[NC_NOISE_MAX_MESSAGE];
	for (int i = 0; !nc_noise_handshake_done(hs); i++) {
		char want[16];
		size_t len = 0, pl_len = 0;
		snprintf(want, sizeof want, "hs%d", i);
		nc_noise_err_t err;
		if (nc_noise_handshake_my_turn(hs)) {
			err = nc_noise_write_message(hs, (const uint8_t *)want, strlen(want), msg, sizeof msg, &len);
			if (err == NC_NOISE_OK && !send_frame(fd, msg, len))
				return false;
		} else {
			if (!recv_frame(fd, msg, &len))
				return false;
			err = nc_noise_read_message(hs, msg, len, pl, sizeof pl, &pl_len);
			if (err == NC_NOISE_OK && (pl_len != strlen(want) || memcmp(pl, want, pl_len))) {
				fprintf(stderr, "nc-privacy: handshake payload %d is \"%.*s\"\n", i, (int)pl_len, pl);
				return false;
			}
		}
		if (err != NC_NOISE_OK) {
			fprintf(stderr, "nc-privacy: handshake message %d: %s\n", i, nc_noise_err_name(err));
			return false;
		}
	}
	return true;
}

static bool transport(int fd, const opts_t *o, nc_noise_cipher_t *tx, nc_noise_cipher_t *rx, bool initiator)
{
	static uint8_t msg[NC_NOISE_MAX_MESSAGE], pl[NC_NOISE_MAX_MESSAGE];
	bool ok = true;
	for (int phase = 0; phase < 2; phase++) {
		bool sending = (phase == 0) == initiator;
		for (int i = 0; sending && i < o->n_send && ok; i++) {
			size_t len = 0;
			ok = nc_noise_encrypt(tx, NULL, 0, (const uint8_t *)o->send[i], strlen(o->send[i]), msg, sizeof msg,
					      &len) == NC_NOISE_OK &&
			     send_frame(fd, msg, len);
		}
		for (int i = 0; !sending && i < o->n_expect && ok; i++) {
			size_t len = 0, pl_len = 0;
			ok = recv_frame(fd, msg, &len) &&
			     nc_noise_decrypt(rx, NULL, 0, msg, len, pl, sizeof pl, &pl_len) == NC_NOISE_OK;
			if (ok) {
				printf("recv: %.*s\n", (int)pl_len, pl);
				ok = pl_len == strlen(o->expect[i]) && !memcmp(pl, o->expect[i], pl_len);
			}
		}
	}
	return ok;
}

int cmd_noise_peer(const opts_t *o)
{
	uint8_t s[32], rs[32];
	size_t s_len = 0, rs_len = 0;
	bool initiator = o->role && !strcmp(o->role, "initiator");
	if (o->n_words != 1 || !o->pattern || !o->stat || !o->role || (!o->listen == !o->connect) ||
	    (!initiator && strcmp(o->role, "responder")) || !opts_unhex(o->stat, s, 32, &s_len) || s_len != 32 ||
	    (o->remote_static && (!opts_unhex(o->remote_static, rs, 32, &rs_len) || rs_len != 32))) {
		fprintf(stderr, "nc-privacy: noise-peer (--listen PORT|--connect PORT) --pattern P "
				"--role initiator|responder --static HEX [--remote-static HEX]\n");
		return EXIT_USAGE;
	}
	char name[NC_NOISE_MAX_NAME_BYTES + 1];
	snprintf(name, sizeof name, "Noise_%s_25519_ChaChaPoly_BLAKE2b", o->pattern);
	const char *prologue = o->prologue ? o->prologue : "";
	nc_noise_config_t cfg = { .protocol_name = name, .initiator = initiator, .prologue = (const uint8_t *)prologue,
				  .prologue_len = strlen(prologue), .s = s, .rs = o->remote_static ? rs : NULL };
	nc_noise_handshake_t hs;
	nc_noise_err_t err = nc_noise_handshake_init(&hs, &cfg);
	if (err != NC_NOISE_OK) {
		fprintf(stderr, "nc-privacy: %s: %s\n", name, nc_noise_err_name(err));
		return EXIT_FAILED;
	}
	int fd = open_socket(o);
	if (fd < 0) {
		perror("nc-privacy: socket");
		return EXIT_FAILED;
	}
	nc_noise_cipher_t tx, rx;
	uint8_t h[NC_NOISE_MAX_HASH_BYTES];
	size_t hl = 0;
	bool ok = handshake(fd, &hs);
	uint8_t peer[32];
	if (ok && nc_noise_remote_static(&hs, peer)) {
		printf("remote-static: ");
		for (size_t i = 0; i < sizeof peer; i++)
			printf("%02x", peer[i]);
		printf("\n");
	}
	ok = ok && nc_noise_split(&hs, &tx, &rx, h, &hl) == NC_NOISE_OK && transport(fd, o, &tx, &rx, initiator);
	close(fd);
	nc_noise_handshake_fini(&hs);
	nc_noise_cipher_fini(&tx);
	nc_noise_cipher_fini(&rx);
	nc_crypto_wipe(s, sizeof s);
	return ok ? EXIT_OK : EXIT_FAILED;
}

int cmd_noise_key(const opts_t *o)
{
	uint8_t s[32], pk[32];
	size_t n = 0;
	if (!o->stat || !opts_unhex(o->stat, s, sizeof s, &n) || n != 32) {
		fprintf(stderr, "nc-privacy: noise-key --static HEX(32 bytes)\n");
		return EXIT_USAGE;
	}
	nc_crypto_x25519_public(pk, s);
	for (size_t i = 0; i < 32; i++)
		printf("%02x", pk[i]);
	printf("\n");
	return EXIT_OK;
}

/* Freestanding stand-in for <errno.h> for third-party sources: libsodium sets
 * errno on misuse; here it is one per-image variable (no threads share it in a
 * way we rely on: lib/crypto reports errors by its return codes). */
#ifndef NC_THIRD_PARTY_ERRNO_H
#define NC_THIRD_PARTY_ERRNO_H
extern int errno;
#define EINVAL 22
#define ENOMEM 12
#define ERANGE 34
#endif

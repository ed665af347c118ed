/* lwIP's compiler and platform header for the network service (port.c
 * defines the functions): freestanding, little-endian x86-64, no stdio. An
 * lwIP assertion ends the service (its restart is the recovery); diagnostics
 * are off. */
#ifndef NETSVC_ARCH_CC_H
#define NETSVC_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_UNISTD_H 1
#define LWIP_NO_LIMITS_H 1
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

#define BYTE_ORDER LITTLE_ENDIAN

uint32_t net_lwip_random(void);
void net_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
void *net_lwip_calloc(size_t count, size_t size);
void *net_lwip_malloc(size_t size);
void net_lwip_free(void *p);

#define LWIP_RAND() net_lwip_random()
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_lwip_assert((x), __FILE__, __LINE__)

#endif

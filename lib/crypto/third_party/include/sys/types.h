/* Freestanding stand-in for <sys/types.h> for third-party sources: included, never used. */
#include <stddef.h>

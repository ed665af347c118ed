/* Freestanding stand-in for <stdio.h> for third-party sources: included, never used. */

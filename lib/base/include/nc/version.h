/* The operating system's version (Semantic Versioning). The system-call ABI
 * has its own monotonic version, NC_ABI_VERSION, generated from abi/. */
#ifndef NC_VERSION_H
#define NC_VERSION_H

#define NC_OS_VERSION "0.1.0"

#endif

/* The ncs REPL (repl.c). */
#ifndef NCS_TOOL_REPL_H
#define NCS_TOOL_REPL_H

#include <nc/ncs.h>

/* Read lines from stdin until EOF; returns the process exit status (0). */
int ncs_repl(const nc_ncs_config_t *cfg);

#endif

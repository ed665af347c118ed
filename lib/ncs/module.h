/* Module graph loading (module.c). Internal to lib/ncs. */
#ifndef NCS_MODULE_H
#define NCS_MODULE_H

#include "cap.h"

#define NCS_MAX_MODULES 128u

typedef struct {
	ncs_state_t *st;
	ncs_module_t *all[NCS_MAX_MODULES];   /* every module loaded (owned) */
	uint32_t n_all;
	ncs_module_t *order[NCS_MAX_MODULES]; /* dependency order, main last */
	uint32_t n_order;
	ncs_module_t *stack[NCS_MAX_MODULES]; /* current depth-first path */
	uint32_t n_stack;
} ncs_graph_t;

/* Create a module record (path copied; file and src borrowed). */
ncs_module_t *ncs_module_new(ncs_state_t *st, const char *path, size_t path_len, const char *file,
			     const char *src, size_t src_len);
/* Take ownership of main_mod, parse it and everything it uses, order them. */
nc_ncs_err_t ncs_graph_load(ncs_graph_t *g, ncs_module_t *main_mod);
void ncs_graph_fini(ncs_graph_t *g);

#endif

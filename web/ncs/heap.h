/* The allocator the WebAssembly embedder hands ncScript (nc_ncs_config_t.alloc):
 * size classes over the module's linear memory, grown with memory.grow.
 *
 * One run at a time owns the heap: nc_wasm_heap_reset() forgets every block (the
 * embedder calls it before each run, after JS has copied the previous result out),
 * so nothing can leak from one run to the next and fragmentation never outlives a
 * run. Call nc_wasm_heap_reset() before the first allocation. Not thread-safe
 * (a wasm instance has one thread). */
#ifndef NC_WASM_HEAP_H
#define NC_WASM_HEAP_H

#include <stddef.h>

/* Forget every block; the next allocation starts again at the heap base. The
 * linear memory already grown stays (wasm memory cannot shrink) and is reused. */
void nc_wasm_heap_reset(void);

/* lua_Alloc contract (nc/ncs.h, nc_ncs_alloc_fn): new_bytes == 0 frees ptr and
 * returns NULL; otherwise (re)allocates ptr from old_bytes (which must be the size
 * ptr was allocated with) to new_bytes, 16-byte aligned. Returns NULL with ptr
 * untouched when the memory cannot grow (the link's --max-memory). ud is unused. */
void *nc_wasm_heap_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes);

#endif

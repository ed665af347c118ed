/* Remote objects (kernel/remote.h): a handle's view of an object a service
 * serves. */
#include <kernel/heap.h>
#include <kernel/remote.h>

typedef struct {
	kobj_t obj;                     /* type: the object's kind */
	ksvc_t *svc;                    /* counted */
	uint64_t object;                /* the service's id */
	void *close_note;               /* SERVICE_OP_CLOSE's memory, taken at creation */
} kremote_t;

static void destroy(kobj_t *o)
{
	kremote_t *r = (kremote_t *)o;
	service_notify_close(r->svc, r->close_note, r->object);
	service_put(r->svc);
	heap_free(r);
}

kobj_t *remote_create(ksvc_t *s, uint64_t object, uint32_t type)
{
	kremote_t *r = heap_alloc(sizeof *r);
	void *note = service_note_alloc();
	if (!r || !note) {
		heap_free(r);
		if (note)
			service_note_free(note);
		return NULL;
	}
	*r = (kremote_t){ { type, 1, destroy }, s, object, note };
	service_ref(s);
	return &r->obj;
}

bool remote_is(const kobj_t *o)
{
	return o->destroy == destroy;
}

nc_sys_err_t remote_call(kobj_t *o, svc_call_t *c, kobj_t **new_obj)
{
	kremote_t *r = (kremote_t *)o;
	c->object = r->object;
	return service_call(r->svc, c, new_obj);
}

bool remote_watch(kobj_t *o, struct watch *n, bool add)
{
	kremote_t *r = (kremote_t *)o;
	return service_watch(r->svc, r->object, n, add);
}

bool remote_readable(kobj_t *o)
{
	kremote_t *r = (kremote_t *)o;
	return service_watch(r->svc, r->object, NULL, false);
}

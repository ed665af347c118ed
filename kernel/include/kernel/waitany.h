/* Waiting on several objects at once (HandleWaitAny, docs/network.md): a
 * thread that waits on channels and sockets puts one watch node on each
 * object's watch list, all pointing at its one waiter; any change that can
 * make the object ready (a message queued, a peer closed, a service signal)
 * fires the list: each waiter is marked fired and woken. The waiter re-checks
 * every object after each wake-up, so a fired waiter may find nothing new
 * (a message taken meanwhile by another thread) and waits again.
 *
 * No lost wake-ups: nodes are added before the first check, and the waiter
 * blocks only while holding its own lock with fired still false; a firer
 * takes that lock to set fired and wake it.
 *
 * Locking: a watch list is guarded by its object's lock (the channel's, the
 * service's), taken before a waiter's lock. watch_fire may run in any context
 * (interrupt handlers posting channel messages included). */
#ifndef KERNEL_WAITANY_H
#define KERNEL_WAITANY_H

#include <stdbool.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

typedef struct {
	spinlock_t lock;
	bool fired;                     /* an object may have become ready */
	thread_t *thread;
} waiter_t;

typedef struct watch {
	struct watch *next;             /* the object's list (its lock) */
	waiter_t *waiter;
} watch_t;

typedef struct {
	watch_t *head;
} watchlist_t;

/* Add or remove n (object lock held). */
static inline void watch_add(watchlist_t *l, watch_t *n)
{
	n->next = l->head;
	l->head = n;
}

void watch_remove(watchlist_t *l, watch_t *n);
/* Fire every waiter on l; the nodes stay (object lock held). */
void watch_fire(watchlist_t *l);

#endif

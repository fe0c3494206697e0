/* The store owns the records fetched from the server. The contact list is
 * virtual: fixed-size pages fetched as the view nears them, kept in a bounded
 * cache, the total from meta. Views register an observer and are told when
 * something they show changed. Borrowed pointers from store_* getters stay
 * valid until the next crm_client_dispatch() or store_* call that changes the
 * store. */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/api.h"

struct store; /* opaque: core/store.c */

enum store_event {
    STORE_ROWS,       /* rows [first, last] arrived or changed; total may have changed */
    STORE_CONTACT,    /* a contact's detail arrived (first = id) */
    STORE_ACTIVITIES, /* a contact's timeline arrived (first = id) */
    STORE_VIEWS,      /* the view list arrived */
    STORE_ERROR,      /* a request failed; store_error() says what */
};

typedef void (*store_notify_fn)(void *ud, enum store_event ev, int64_t first, int64_t last);

/* per_page rows a page (1..100); max_pages pages kept at most (>= 3). */
struct store *store_new(struct crm_client *client, int per_page, int max_pages);
void store_free(struct store **pp);
void store_observe(struct store *s, store_notify_fn fn, void *ud);

/* Views from /contacts/filters; fetched on first call. */
void store_load_views(struct store *s);
const struct view *store_views(const struct store *s, size_t *n);

/* Shows a view: drops the cached rows and fetches the page of row 0. */
void store_set_view(struct store *s, int64_t view_id, enum api_sort sort, bool descending);
/* Shows server-side search hits (contacts only) as the list. */
void store_set_search(struct store *s, const char *query);
int64_t store_view_id(const struct store *s); /* 0 while a search is shown */

/* Total rows of the current list; -1 until the first page answers. */
long store_total(const struct store *s);
/* Row index (0-based), or NULL when its page is not loaded: the page is then
 * requested (once) and STORE_ROWS follows. */
const struct contact_row *store_row(struct store *s, long index);
/* Requests the pages covering [first, last] that are not cached or loading. */
void store_prefetch(struct store *s, long first, long last);
/* True while the page holding index is being fetched. */
bool store_row_loading(const struct store *s, long index);
/* Requests in flight for the store. */
int store_pending(const struct store *s);

/* The full contact and its timeline; NULL while not fetched (then requested). */
const struct contact *store_contact(struct store *s, int64_t id);
const struct activity *store_activities(struct store *s, int64_t id, size_t *n);
/* Forgets cached detail/timeline of id so the next get refetches it. */
void store_invalidate(struct store *s, int64_t id);
/* Takes id out of the list (after a forget or delete) and renumbers. */
void store_remove(struct store *s, int64_t id);

/* The last error as a sentence, or NULL; cleared by store_clear_error. */
const char *store_error(const struct store *s);
void store_clear_error(struct store *s);

#endif

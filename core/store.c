/* The record store: a virtual contact list in a bounded page cache, search
 * results, a bounded cache of contact details and timelines, and the
 * observers told when any of it changes. */
#include "core/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"

#define STORE_OBSERVERS_MAX  8
#define STORE_CONTACTS_MAX   32 /* contact details kept */
#define STORE_TIMELINES_MAX  16 /* timelines kept */
#define STORE_TIMELINE_PAGE  100
#define STORE_TIMELINE_PAGES 10 /* at most 1000 entries of one timeline */

struct page {
    long index;               /* page number, 0-based; -1: free slot */
    struct contact_row *rows; /* room for per_page rows */
    int n;
    bool failed;        /* the request failed: not asked again until store_clear_error */
    unsigned long used; /* LRU stamp */
};

struct detail {
    int64_t id; /* 0: free slot */
    struct contact *contact;
    bool failed;
    unsigned long used;
};

struct timeline {
    int64_t id; /* 0: free slot */
    struct activity *acts;
    size_t n;
    long pages_loaded;
    bool complete, failed;
    unsigned long used;
};

enum sreq_kind { SR_VIEWS, SR_PAGE, SR_SEARCH, SR_CONTACT, SR_TIMELINE };

/* One request the store made; its reply is ignored when gen is stale. */
struct sreq {
    struct sreq *prev, *next;
    struct store *s;
    struct crm_req *req;
    enum sreq_kind kind;
    unsigned gen;
    long page;  /* SR_PAGE: page number; SR_TIMELINE: 1-based API page */
    int64_t id; /* SR_CONTACT, SR_TIMELINE */
};

struct observer {
    store_notify_fn fn;
    void *ud;
};

struct store {
    struct crm_client *client;
    int per_page, max_pages;
    struct observer obs[STORE_OBSERVERS_MAX];
    int n_obs;

    struct view *views;
    size_t n_views;
    bool views_asked;

    unsigned gen; /* bumped when the list changes meaning (view, sort, search) */
    int64_t view_id;
    enum api_sort sort;
    bool descending;
    bool searching;
    char *query;
    struct contact_row *hits; /* the list while searching */
    size_t n_hits;
    bool search_done;

    long total;
    long cursor;    /* the last row asked for: eviction keeps what is near it */
    long want_page; /* a page not asked for while too many were in flight, or -1 */
    struct page *pages;
    unsigned long clock;

    struct detail details[STORE_CONTACTS_MAX];
    struct timeline timelines[STORE_TIMELINES_MAX];

    struct sreq *reqs;
    int n_reqs;
    int n_page_reqs;
    char error[256];
    bool has_error;
    bool closing;
};

static void notify(struct store *s, enum store_event ev, int64_t first, int64_t last)
{
    for (int i = 0; i < s->n_obs; i++)
        s->obs[i].fn(s->obs[i].ud, ev, first, last);
}

static void set_error(struct store *s, const struct crm_reply *r)
{
    snprintf(s->error, sizeof s->error, "%s", r->message[0] ? r->message : crm_strerror(r->status));
    s->has_error = true;
}

static void free_rows(struct contact_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_contact_row_clear(&rows[i]);
}

static void free_activities(struct activity *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        model_activity_clear(&a[i]);
    free(a);
}

/* ---- requests ---- */

static void on_reply(struct crm_reply *reply, void *ud);

static struct sreq *sreq_new(struct store *s, enum sreq_kind kind)
{
    struct sreq *q = common_json_calloc(1, sizeof *q);
    q->s = s;
    q->kind = kind;
    q->gen = s->gen;
    return q;
}

/* Links q once its request is queued; frees it when the call returned NULL. */
static bool sreq_start(struct store *s, struct sreq *q, struct crm_req *req)
{
    if (!req) {
        free(q);
        return false;
    }
    q->req = req;
    q->next = s->reqs;
    if (s->reqs)
        s->reqs->prev = q;
    s->reqs = q;
    s->n_reqs++;
    if (q->kind == SR_PAGE)
        s->n_page_reqs++;
    return true;
}

static void sreq_unlink(struct store *s, struct sreq *q)
{
    if (q->prev)
        q->prev->next = q->next;
    else
        s->reqs = q->next;
    if (q->next)
        q->next->prev = q->prev;
    s->n_reqs--;
    if (q->kind == SR_PAGE)
        s->n_page_reqs--;
}

static struct sreq *find_req(const struct store *s, enum sreq_kind kind, long page, int64_t id)
{
    for (struct sreq *q = s->reqs; q; q = q->next)
        if (q->kind == kind && q->gen == s->gen && q->page == page && q->id == id)
            return q;
    return NULL;
}

static bool page_in_flight(const struct store *s, long page)
{
    return find_req(s, SR_PAGE, page, 0) != NULL;
}

/* ---- the page cache ---- */

static struct page *find_page(struct store *s, long index)
{
    for (int i = 0; i < s->max_pages; i++)
        if (s->pages[i].index == index)
            return &s->pages[i];
    return NULL;
}

static void drop_page(struct page *p)
{
    free_rows(p->rows, (size_t)p->n);
    p->n = 0;
    p->index = -1;
    p->failed = false;
}

static void drop_pages(struct store *s)
{
    for (int i = 0; i < s->max_pages; i++)
        drop_page(&s->pages[i]);
}

static long distance(long a, long b)
{
    return a > b ? a - b : b - a;
}

/* A slot for page index: a free one, else the cached page farthest from the
 * cursor (the least recently used among equals). NULL when index itself is
 * the farthest: it is not worth a slot. */
static struct page *slot_for(struct store *s, long index)
{
    long cur = s->cursor / s->per_page;
    struct page *victim = NULL;

    for (int i = 0; i < s->max_pages; i++) {
        struct page *p = &s->pages[i];
        if (p->index < 0)
            return p;
        if (!victim || distance(p->index, cur) > distance(victim->index, cur) ||
            (distance(p->index, cur) == distance(victim->index, cur) && p->used < victim->used))
            victim = p;
    }
    if (distance(index, cur) > distance(victim->index, cur))
        return NULL;
    drop_page(victim);
    return victim;
}

static void request_page(struct store *s, long page)
{
    struct sreq *q;

    if (s->searching || s->view_id <= 0 || page < 0 || page_in_flight(s, page))
        return;
    if (s->n_page_reqs >= s->max_pages) {
        s->want_page = page; /* asked for once one of those answers */
        return;
    }
    q = sreq_new(s, SR_PAGE);
    q->page = page;
    sreq_start(s, q,
               api_contacts_page(s->client, s->view_id, page + 1, s->per_page, s->sort,
                                 s->descending, on_reply, q));
}

static void page_arrived(struct store *s, struct sreq *q, struct crm_reply *r)
{
    struct page *p;
    long first = q->page * s->per_page;
    long old_total = s->total;
    size_t n = r->n_rows < (size_t)s->per_page ? r->n_rows : (size_t)s->per_page;

    if (r->status != CRM_OK) {
        set_error(s, r);
        p = find_page(s, q->page);
        if (!p)
            p = slot_for(s, q->page);
        if (p) {
            drop_page(p);
            p->index = q->page;
            p->failed = true;
            p->used = ++s->clock;
        }
        notify(s, STORE_ERROR, first, first);
        return;
    }
    if (r->total >= 0)
        s->total = r->total;
    else if (s->total < first + (long)n)
        s->total = first + (long)n; /* no meta: at least what we have seen */
    p = find_page(s, q->page);
    if (p)
        drop_page(p);
    else
        p = slot_for(s, q->page);
    if (p) {
        memcpy(p->rows, r->rows, n * sizeof *r->rows);
        for (size_t i = n; i < r->n_rows; i++)
            model_contact_row_clear(&r->rows[i]);
        r->n_rows = 0; /* the rows' strings now belong to the page */
        p->n = (int)n;
        p->index = q->page;
        p->failed = false;
        p->used = ++s->clock;
    }
    if (old_total != s->total)
        notify(s, STORE_ROWS, 0, s->total > 0 ? s->total - 1 : 0);
    else
        notify(s, STORE_ROWS, first, n > 0 ? first + (long)n - 1 : first);
}

/* ---- the other replies ---- */

static struct detail *find_detail(struct store *s, int64_t id)
{
    for (int i = 0; i < STORE_CONTACTS_MAX; i++)
        if (s->details[i].id == id)
            return &s->details[i];
    return NULL;
}

static void clear_detail(struct detail *d)
{
    model_contact_free(&d->contact);
    d->id = 0;
    d->failed = false;
}

static struct detail *detail_slot(struct store *s)
{
    struct detail *lru = &s->details[0];
    for (int i = 0; i < STORE_CONTACTS_MAX; i++) {
        if (s->details[i].id == 0)
            return &s->details[i];
        if (s->details[i].used < lru->used)
            lru = &s->details[i];
    }
    clear_detail(lru);
    return lru;
}

static struct timeline *find_timeline(struct store *s, int64_t id)
{
    for (int i = 0; i < STORE_TIMELINES_MAX; i++)
        if (s->timelines[i].id == id)
            return &s->timelines[i];
    return NULL;
}

static void clear_timeline(struct timeline *t)
{
    free_activities(t->acts, t->n);
    memset(t, 0, sizeof *t);
}

static struct timeline *timeline_slot(struct store *s)
{
    struct timeline *lru = &s->timelines[0];
    for (int i = 0; i < STORE_TIMELINES_MAX; i++) {
        if (s->timelines[i].id == 0)
            return &s->timelines[i];
        if (s->timelines[i].used < lru->used)
            lru = &s->timelines[i];
    }
    clear_timeline(lru);
    return lru;
}

static void request_timeline_page(struct store *s, int64_t id, long api_page)
{
    struct sreq *q = sreq_new(s, SR_TIMELINE);
    q->id = id;
    q->page = api_page;
    sreq_start(s, q, api_activities(s->client, id, api_page, STORE_TIMELINE_PAGE, on_reply, q));
}

static void contact_arrived(struct store *s, struct sreq *q, struct crm_reply *r)
{
    struct detail *d = find_detail(s, q->id);

    if (!d) {
        d = detail_slot(s);
        d->id = q->id;
    }
    model_contact_free(&d->contact);
    d->used = ++s->clock;
    if (r->status != CRM_OK) {
        d->failed = true;
        set_error(s, r);
        notify(s, STORE_ERROR, q->id, q->id);
        return;
    }
    d->failed = false;
    d->contact = r->contact;
    r->contact = NULL;
    notify(s, STORE_CONTACT, q->id, q->id);
}

static void timeline_arrived(struct store *s, struct sreq *q, struct crm_reply *r)
{
    struct timeline *t = find_timeline(s, q->id);
    struct activity *grown;
    size_t got;

    if (!t) {
        if (q->page != 1)
            return; /* evicted while its later pages were coming */
        t = timeline_slot(s);
        t->id = q->id;
    }
    t->used = ++s->clock;
    if (r->status != CRM_OK) {
        t->failed = true;
        t->complete = true;
        set_error(s, r);
        notify(s, STORE_ERROR, q->id, q->id);
        return;
    }
    if (q->page == 1) {
        free_activities(t->acts, t->n);
        t->acts = NULL;
        t->n = 0;
    }
    got = r->n_activities;
    if (got > 0) {
        grown = realloc(t->acts, (t->n + r->n_activities) * sizeof *grown);
        if (!grown)
            abort();
        memcpy(grown + t->n, r->activities, r->n_activities * sizeof *grown);
        t->acts = grown;
        t->n += r->n_activities;
        free(r->activities);
        r->activities = NULL;
        r->n_activities = 0;
    }
    t->pages_loaded = q->page;
    t->complete = r->total_pages < 0 || q->page >= r->total_pages ||
                  q->page >= STORE_TIMELINE_PAGES || got == 0;
    if (!t->complete && r->total_pages > q->page)
        request_timeline_page(s, q->id, q->page + 1);
    else
        t->complete = true;
    notify(s, STORE_ACTIVITIES, q->id, q->id);
}

static void search_arrived(struct store *s, struct crm_reply *r)
{
    size_t n = 0;

    s->search_done = true;
    if (r->status != CRM_OK) {
        s->total = 0;
        set_error(s, r);
        notify(s, STORE_ERROR, 0, 0);
        return;
    }
    s->hits = common_json_calloc(r->n_hits, sizeof *s->hits);
    for (size_t i = 0; i < r->n_hits; i++) {
        struct search_hit *h = &r->hits[i];
        if (h->type && strcmp(h->type, "contact") != 0)
            continue; /* companies and deals are not rows of the contact list */
        s->hits[n].id = h->id;
        s->hits[n].name = h->name ? h->name : common_json_alloc(1);
        if (!h->name)
            s->hits[n].name[0] = '\0';
        s->hits[n].email = h->email;
        s->hits[n].subscription_status = -1;
        h->name = NULL;
        h->email = NULL;
        n++;
    }
    s->n_hits = n;
    s->total = (long)n;
    notify(s, STORE_ROWS, 0, n > 0 ? (long)n - 1 : 0);
}

static void on_reply(struct crm_reply *reply, void *ud)
{
    struct sreq *q = ud;
    struct store *s = q->s;
    bool stale = (q->gen != s->gen && (q->kind == SR_PAGE || q->kind == SR_SEARCH)) ||
                 ((q->kind == SR_CONTACT || q->kind == SR_TIMELINE) && q->id <= 0);

    sreq_unlink(s, q);
    if (reply->status == CRM_ERR_CANCELLED || stale || s->closing) {
        /* cancelled, or an answer for a list no longer shown or a record
         * invalidated since */
    } else {
        switch (q->kind) {
        case SR_VIEWS:
            if (reply->status != CRM_OK) {
                s->views_asked = false;
                set_error(s, reply);
                notify(s, STORE_ERROR, 0, 0);
                break;
            }
            for (size_t i = 0; i < s->n_views; i++)
                model_view_clear(&s->views[i]);
            free(s->views);
            s->views = reply->views;
            s->n_views = reply->n_views;
            reply->views = NULL;
            reply->n_views = 0;
            notify(s, STORE_VIEWS, 0, (int64_t)s->n_views);
            break;
        case SR_PAGE:
            page_arrived(s, q, reply);
            break;
        case SR_SEARCH:
            search_arrived(s, reply);
            break;
        case SR_CONTACT:
            contact_arrived(s, q, reply);
            break;
        case SR_TIMELINE:
            timeline_arrived(s, q, reply);
            break;
        }
    }
    crm_reply_free(&reply);
    free(q);
    /* A page passed over while too many were in flight. */
    if (!s->closing && s->want_page >= 0 && s->n_page_reqs < s->max_pages) {
        long want = s->want_page;
        s->want_page = -1;
        if (!find_page(s, want))
            request_page(s, want);
    }
}

/* ---- the interface ---- */

struct store *store_new(struct crm_client *client, int per_page, int max_pages)
{
    struct store *s;

    if (!client)
        return NULL;
    s = common_json_calloc(1, sizeof *s);
    s->client = client;
    s->per_page = per_page < 1 ? 1 : per_page > 100 ? 100 : per_page;
    s->max_pages = max_pages < 3 ? 3 : max_pages;
    s->pages = common_json_calloc((size_t)s->max_pages, sizeof *s->pages);
    for (int i = 0; i < s->max_pages; i++) {
        s->pages[i].index = -1;
        s->pages[i].rows = common_json_calloc((size_t)s->per_page, sizeof(struct contact_row));
    }
    s->total = -1;
    s->want_page = -1;
    return s;
}

static void clear_search(struct store *s)
{
    free_rows(s->hits, s->n_hits);
    free(s->hits);
    s->hits = NULL;
    s->n_hits = 0;
    free(s->query);
    s->query = NULL;
    s->searching = false;
    s->search_done = false;
}

void store_free(struct store **pp)
{
    struct store *s = pp ? *pp : NULL;

    if (!s)
        return;
    s->closing = true; /* no notifications, no new requests */
    s->n_obs = 0;
    while (s->reqs) {
        struct sreq *q = s->reqs;
        crm_req_cancel(s->client, q->req); /* on_reply unlinks and frees q */
        if (s->reqs == q) {                /* not cancellable (finished, unreported): drop it */
            sreq_unlink(s, q);
            free(q);
        }
    }
    for (int i = 0; i < s->max_pages; i++) {
        drop_page(&s->pages[i]);
        free(s->pages[i].rows);
    }
    free(s->pages);
    for (size_t i = 0; i < s->n_views; i++)
        model_view_clear(&s->views[i]);
    free(s->views);
    clear_search(s);
    for (int i = 0; i < STORE_CONTACTS_MAX; i++)
        clear_detail(&s->details[i]);
    for (int i = 0; i < STORE_TIMELINES_MAX; i++)
        clear_timeline(&s->timelines[i]);
    free(s);
    *pp = NULL;
}

void store_observe(struct store *s, store_notify_fn fn, void *ud)
{
    if (!s || !fn)
        return;
    for (int i = 0; i < s->n_obs; i++)
        if (s->obs[i].fn == fn && s->obs[i].ud == ud)
            return;
    if (s->n_obs < STORE_OBSERVERS_MAX) {
        s->obs[s->n_obs].fn = fn;
        s->obs[s->n_obs].ud = ud;
        s->n_obs++;
    }
}

void store_load_views(struct store *s)
{
    struct sreq *q;

    if (!s || s->views || s->views_asked)
        return;
    s->views_asked = true;
    q = sreq_new(s, SR_VIEWS);
    if (!sreq_start(s, q, api_views(s->client, on_reply, q)))
        s->views_asked = false;
}

const struct view *store_views(const struct store *s, size_t *n)
{
    *n = s ? s->n_views : 0;
    return s ? s->views : NULL;
}

static void reset_list(struct store *s)
{
    s->gen++;
    drop_pages(s);
    clear_search(s);
    s->total = -1;
    s->cursor = 0;
    s->want_page = -1;
}

void store_set_view(struct store *s, int64_t view_id, enum api_sort sort, bool descending)
{
    if (!s)
        return;
    reset_list(s);
    s->view_id = view_id;
    s->sort = sort;
    s->descending = descending;
    request_page(s, 0);
}

void store_set_search(struct store *s, const char *query)
{
    struct sreq *q;
    size_t n;

    if (!s || !query)
        return;
    reset_list(s);
    s->searching = true;
    n = strlen(query);
    s->query = common_json_alloc(n + 1);
    memcpy(s->query, query, n + 1);
    q = sreq_new(s, SR_SEARCH);
    if (!sreq_start(s, q, api_search(s->client, query, on_reply, q))) {
        s->search_done = true; /* an empty query: an empty list */
        s->total = 0;
    }
}

int64_t store_view_id(const struct store *s)
{
    return s && !s->searching ? s->view_id : 0;
}

long store_total(const struct store *s)
{
    return s ? s->total : -1;
}

const struct contact_row *store_row(struct store *s, long index)
{
    struct page *p;
    long page;

    if (!s || index < 0 || (s->total >= 0 && index >= s->total))
        return NULL;
    s->cursor = index;
    if (s->searching)
        return (size_t)index < s->n_hits ? &s->hits[index] : NULL;
    page = index / s->per_page;
    p = find_page(s, page);
    if (p && p->failed)
        return NULL;
    if (p && index - page * s->per_page < p->n) {
        p->used = ++s->clock;
        return &p->rows[index - page * s->per_page];
    }
    /* Not cached, or cached short of this row (after a removal): fetch it. */
    request_page(s, page);
    return NULL;
}

void store_prefetch(struct store *s, long first, long last)
{
    long fp, lp;

    if (!s || s->searching || last < first)
        return;
    if (first < 0)
        first = 0;
    if (s->total >= 0 && last >= s->total)
        last = s->total - 1;
    if (last < first)
        return;
    fp = first / s->per_page;
    lp = last / s->per_page;
    if (lp - fp >= s->max_pages)
        lp = fp + s->max_pages - 1; /* never more than the cache holds */
    for (long pg = fp; pg <= lp; pg++)
        if (!find_page(s, pg))
            request_page(s, pg);
}

bool store_row_loading(const struct store *s, long index)
{
    if (!s || index < 0)
        return false;
    if (s->searching)
        return !s->search_done;
    return page_in_flight(s, index / s->per_page);
}

int store_pending(const struct store *s)
{
    return s ? s->n_reqs : 0;
}

const struct contact *store_contact(struct store *s, int64_t id)
{
    struct detail *d;
    struct sreq *q;

    if (!s || id <= 0)
        return NULL;
    d = find_detail(s, id);
    if (d) {
        d->used = ++s->clock;
        return d->contact; /* NULL after a failure, until invalidated */
    }
    if (find_req(s, SR_CONTACT, 0, id))
        return NULL;
    q = sreq_new(s, SR_CONTACT);
    q->id = id;
    sreq_start(s, q, api_contact(s->client, id, on_reply, q));
    return NULL;
}

const struct activity *store_activities(struct store *s, int64_t id, size_t *n)
{
    struct timeline *t;

    *n = 0;
    if (!s || id <= 0)
        return NULL;
    t = find_timeline(s, id);
    if (t) {
        t->used = ++s->clock;
        *n = t->n;
        return t->failed ? NULL : t->acts;
    }
    for (struct sreq *q = s->reqs; q; q = q->next)
        if (q->kind == SR_TIMELINE && q->id == id)
            return NULL;
    request_timeline_page(s, id, 1);
    return NULL;
}

void store_invalidate(struct store *s, int64_t id)
{
    struct detail *d;
    struct timeline *t;

    if (!s)
        return;
    if ((d = find_detail(s, id)) != NULL)
        clear_detail(d);
    if ((t = find_timeline(s, id)) != NULL)
        clear_timeline(t);
    /* Answers already on their way describe the old record: let them be. */
    for (struct sreq *q = s->reqs; q; q = q->next)
        if ((q->kind == SR_CONTACT || q->kind == SR_TIMELINE) && q->id == id)
            q->id = -q->id; /* orphaned: its answer finds no slot to fill */
}

/* Removes row i of page p, shifting the rest of the page up. */
static void page_remove_row(struct page *p, int i)
{
    model_contact_row_clear(&p->rows[i]);
    memmove(&p->rows[i], &p->rows[i + 1], (size_t)(p->n - i - 1) * sizeof *p->rows);
    p->n--;
    memset(&p->rows[p->n], 0, sizeof *p->rows);
}

void store_remove(struct store *s, int64_t id)
{
    long removed = -1;

    if (!s)
        return;
    store_invalidate(s, id);
    if (s->searching) {
        for (size_t i = 0; i < s->n_hits; i++) {
            if (s->hits[i].id != id)
                continue;
            model_contact_row_clear(&s->hits[i]);
            memmove(&s->hits[i], &s->hits[i + 1], (s->n_hits - i - 1) * sizeof *s->hits);
            s->n_hits--;
            s->total = (long)s->n_hits;
            removed = (long)i;
            break;
        }
    } else {
        struct page *at = NULL, *prev;
        long last_index = -1;
        for (int i = 0; i < s->max_pages && !at; i++) {
            struct page *p = &s->pages[i];
            for (int r = 0; p->index >= 0 && r < p->n; r++) {
                if (p->rows[r].id == id) {
                    at = p;
                    removed = p->index * s->per_page + r;
                    page_remove_row(p, r);
                    break;
                }
            }
        }
        if (!at)
            return;
        for (int i = 0; i < s->max_pages; i++)
            if (s->pages[i].index > last_index)
                last_index = s->pages[i].index;
        /* Later pages move up by one row: each gives its first row to the page
         * before it when that page is here; a page after a gap is dropped, as
         * its rows no longer line up (it is fetched again when needed). */
        prev = at;
        for (long pg = at->index + 1; pg <= last_index; pg++) {
            struct page *p = find_page(s, pg);
            if (!p || p->failed) {
                if (p)
                    drop_page(p);
                prev = NULL;
                continue;
            }
            if (!prev || prev->n != s->per_page - 1 || p->n == 0) {
                drop_page(p);
                prev = NULL;
                continue;
            }
            prev->rows[prev->n++] = p->rows[0];
            memmove(&p->rows[0], &p->rows[1], (size_t)(p->n - 1) * sizeof *p->rows);
            p->n--;
            memset(&p->rows[p->n], 0, sizeof *p->rows);
            prev = p;
        }
        if (s->total > 0)
            s->total--;
    }
    if (removed >= 0)
        notify(s, STORE_ROWS, removed, s->total > removed ? s->total - 1 : removed);
}

const char *store_error(const struct store *s)
{
    return s && s->has_error ? s->error : NULL;
}

void store_clear_error(struct store *s)
{
    if (!s)
        return;
    s->has_error = false;
    s->error[0] = '\0';
    /* What failed may be asked for again. */
    for (int i = 0; i < s->max_pages; i++)
        if (s->pages[i].failed)
            drop_page(&s->pages[i]);
    for (int i = 0; i < STORE_CONTACTS_MAX; i++)
        if (s->details[i].failed)
            clear_detail(&s->details[i]);
    for (int i = 0; i < STORE_TIMELINES_MAX; i++)
        if (s->timelines[i].failed)
            clear_timeline(&s->timelines[i]);
}

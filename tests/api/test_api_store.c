/* core/store.c against a live crm-server: the virtual list's page cache
 * (requested once, bounded, evicted far from the cursor, a jump to the end
 * fetching one page), search, details and timelines, removal, errors and the
 * observers; and a 5,000-row walk on a server of its own whose page requests
 * are counted and whose memory stays flat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/store.h"
#include "tests/common/testutil.h"

#define ALL_VIEW INT64_C(70000000001)

static const char *url, *key;

struct events {
    int count[STORE_ERROR + 1];
    int64_t first, last;
};

static void on_event(void *ud, enum store_event ev, int64_t first, int64_t last)
{
    struct events *e = ud;
    e->count[ev]++;
    e->first = first;
    e->last = last;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct fixture {
    struct crm_client *client;
    struct store *store;
    struct events ev;
    char log[64];
};

static void open_fixture(struct fixture *f, const char *at, int per_page, int max_pages)
{
    struct crm_client_opts o = {.url = at, .api_key = key, .debug_log = f->log};
    char err[256];
    int fd;

    memset(&f->ev, 0, sizeof f->ev);
    snprintf(f->log, sizeof f->log, "/tmp/crmtest-store.XXXXXX");
    fd = mkstemp(f->log);
    assert_true(fd >= 0);
    close(fd);
    if (crm_client_new(&o, &f->client, err, sizeof err) != CRM_OK)
        fail_msg("crm_client_new: %s", err);
    f->store = store_new(f->client, per_page, max_pages);
    assert_non_null(f->store);
    store_observe(f->store, on_event, &f->ev);
    store_observe(f->store, on_event, &f->ev); /* once is enough */
}

static void close_fixture(struct fixture *f)
{
    store_free(&f->store);
    assert_null(f->store);
    crm_client_free(&f->client);
    unlink(f->log);
}

/* Moves the loop on until the store has nothing in flight. */
static void settle(struct fixture *f)
{
    long t0 = now_ms();
    while (store_pending(f->store) > 0) {
        if (now_ms() - t0 > 20000)
            fail_msg("the store did not settle");
        crm_client_wait(f->client, -1, 100);
        crm_client_dispatch(f->client);
    }
}

/* Requests made so far whose log line holds needle. */
static int requests(const struct fixture *f, const char *needle)
{
    char *text = testutil_read_file(f->log, NULL);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, needle)) != NULL; p++)
        n++;
    free(text);
    return n;
}

static const struct contact_row *row_now(struct fixture *f, long i)
{
    const struct contact_row *r = store_row(f->store, i);
    if (!r) {
        settle(f);
        r = store_row(f->store, i);
    }
    return r;
}

/* The test's own server; stopped by the teardown even when a test fails. */
static struct testutil_server srv;

static char walk_dir[64]; /* the walk's database directory, while it exists */

static int stop_server(void **state)
{
    static const char *const files[] = {"walk.db", "walk.db-wal", "walk.db-shm", "keys"};
    char path[128];

    (void)state;
    testutil_server_stop(&srv, SIGKILL);
    if (walk_dir[0]) {
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", walk_dir, files[i]);
            unlink(path);
        }
        rmdir(walk_dir);
        walk_dir[0] = '\0';
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    url = testutil_env("CRM_TEST_URL");
    key = testutil_env("CRM_TEST_KEY_ANA");
    return 0;
}

static void test_views(void **state)
{
    struct fixture f;
    const struct view *v;
    size_t n;

    (void)state;
    open_fixture(&f, url, 10, 4);
    v = store_views(f.store, &n);
    assert_null(v);
    assert_int_equal(n, 0);
    store_load_views(f.store);
    store_load_views(f.store); /* asked once */
    assert_int_equal(store_pending(f.store), 1);
    settle(&f);
    assert_int_equal(f.ev.count[STORE_VIEWS], 1);
    v = store_views(f.store, &n);
    assert_true(n >= 4);
    assert_true(v[0].id > 0);
    store_load_views(f.store); /* already here: no request */
    assert_int_equal(store_pending(f.store), 0);
    assert_int_equal(requests(&f, "/contacts/filters"), 1);
    close_fixture(&f);
}

static void test_pages_and_jump_to_end(void **state)
{
    struct fixture f;
    const struct contact_row *r;
    long total;

    (void)state;
    open_fixture(&f, url, 10, 3);
    assert_int_equal(store_total(f.store), -1);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    assert_int_equal(store_view_id(f.store), ALL_VIEW);
    assert_true(store_row_loading(f.store, 0));
    assert_null(store_row(f.store, 0));
    assert_null(store_row(f.store, 5)); /* same page: not asked twice */
    assert_int_equal(store_pending(f.store), 1);
    settle(&f);
    assert_true(f.ev.count[STORE_ROWS] >= 1);
    total = store_total(f.store);
    assert_true(total >= 40);
    r = store_row(f.store, 0);
    assert_non_null(r);
    assert_true(r->id > 0);
    assert_non_null(r->name);
    assert_false(store_row_loading(f.store, 0));
    assert_null(store_row(f.store, total)); /* past the end */
    assert_null(store_row(f.store, -1));
    assert_int_equal(store_pending(f.store), 0);

    /* Jump to the end: only the last page is fetched. */
    assert_null(store_row(f.store, total - 1));
    assert_int_equal(store_pending(f.store), 1);
    settle(&f);
    assert_non_null(store_row(f.store, total - 1));
    assert_int_equal(requests(&f, "/contacts/view/"), 2);
    assert_true(f.ev.last == total - 1);
    close_fixture(&f);
}

static void test_cache_bounded_and_order(void **state)
{
    struct fixture f;
    int64_t ids[40];
    long total;

    (void)state;
    open_fixture(&f, url, 10, 3);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    settle(&f);
    total = store_total(f.store);
    assert_true(total >= 40);
    for (long i = 0; i < 40; i++) {
        const struct contact_row *r = row_now(&f, i);
        assert_non_null(r);
        ids[i] = r->id;
        for (long j = 0; j < i; j++)
            assert_true(ids[j] != ids[i]); /* pages line up: no row twice */
    }
    assert_int_equal(requests(&f, "/contacts/view/"), 4);
    /* Three pages fit: page 0 went when page 3 came; pages 1-3 are still here. */
    assert_non_null(store_row(f.store, 39));
    assert_non_null(store_row(f.store, 10));
    assert_int_equal(store_pending(f.store), 0);
    assert_null(store_row(f.store, 0));
    assert_int_equal(store_pending(f.store), 1);
    settle(&f);
    assert_true(store_row(f.store, 0)->id == ids[0]);
    close_fixture(&f);
}

static void test_prefetch(void **state)
{
    struct fixture f;

    (void)state;
    open_fixture(&f, url, 10, 4);
    store_set_view(f.store, ALL_VIEW, API_SORT_UPDATED, true);
    settle(&f);
    store_prefetch(f.store, 0, 1000); /* capped to what the cache holds */
    assert_int_equal(store_pending(f.store), 3);
    assert_true(store_row_loading(f.store, 15));
    assert_false(store_row_loading(f.store, 5)); /* page 0 is here */
    store_prefetch(f.store, 10, 39);             /* already on their way */
    assert_int_equal(store_pending(f.store), 3);
    settle(&f);
    for (long i = 0; i < 40; i++)
        assert_non_null(store_row(f.store, i));
    assert_int_equal(requests(&f, "/contacts/view/"), 4);
    close_fixture(&f);
}

static void test_detail_and_timeline(void **state)
{
    struct fixture f;
    const struct contact *c;
    const struct activity *a;
    int64_t id;
    size_t n;

    (void)state;
    open_fixture(&f, url, 10, 3);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    id = row_now(&f, 2)->id;
    assert_null(store_contact(f.store, id));
    assert_null(store_contact(f.store, id));
    assert_null(store_activities(f.store, id, &n));
    assert_int_equal(n, 0);
    assert_int_equal(store_pending(f.store), 2);
    settle(&f);
    assert_int_equal(f.ev.count[STORE_CONTACT], 1);
    assert_int_equal(f.ev.count[STORE_ACTIVITIES], 1);
    c = store_contact(f.store, id);
    assert_non_null(c);
    assert_true(c->id == id);
    a = store_activities(f.store, id, &n);
    assert_non_null(a);
    assert_true(n >= 1);
    assert_int_equal(store_pending(f.store), 0); /* cached */
    assert_int_equal(requests(&f, "/activities"), 1);

    store_invalidate(f.store, id);
    assert_null(store_contact(f.store, id));
    assert_null(store_activities(f.store, id, &n));
    settle(&f);
    assert_non_null(store_contact(f.store, id));
    assert_non_null(store_activities(f.store, id, &n));
    assert_int_equal(requests(&f, "/activities"), 2);

    /* No such contact: an error sentence, and no request storm. */
    assert_null(store_contact(f.store, INT64_C(4999999999)));
    settle(&f);
    assert_true(f.ev.count[STORE_ERROR] >= 1);
    assert_non_null(store_error(f.store));
    assert_null(store_contact(f.store, INT64_C(4999999999)));
    assert_int_equal(store_pending(f.store), 0);
    store_clear_error(f.store);
    assert_null(store_error(f.store));
    close_fixture(&f);
}

static void test_search(void **state)
{
    struct fixture f;
    const struct contact_row *r;
    char *name;
    int64_t id;

    (void)state;
    open_fixture(&f, url, 10, 3);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    r = row_now(&f, 1);
    id = r->id;
    name = strdup(r->email ? r->email : r->name);
    store_set_search(f.store, name);
    assert_int_equal(store_view_id(f.store), 0);
    assert_int_equal(store_total(f.store), -1);
    assert_true(store_row_loading(f.store, 0));
    settle(&f);
    assert_true(store_total(f.store) >= 1);
    r = store_row(f.store, 0);
    assert_non_null(r);
    assert_true(r->id == id);
    store_remove(f.store, id);
    assert_null(store_row(f.store, store_total(f.store)));
    assert_int_equal(requests(&f, "/search"), 1);
    free(name);
    /* Back to the view. */
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    assert_non_null(row_now(&f, 0));
    close_fixture(&f);
}

static void test_remove_renumbers(void **state)
{
    struct fixture f;
    int64_t ids[30];
    long total;

    (void)state;
    open_fixture(&f, url, 10, 6);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    settle(&f);
    total = store_total(f.store);
    for (long i = 0; i < 30; i++)
        ids[i] = row_now(&f, i)->id;
    /* Deleted on the server (to the Recycle Bin), then taken out of the list. */
    {
        struct crm_reply *rep = NULL;
        crm_client_run(f.client, api_contact_delete(f.client, ids[5], false, NULL, NULL), &rep);
        assert_non_null(rep);
        assert_int_equal(rep->status, CRM_OK);
        crm_reply_free(&rep);
    }
    f.ev.count[STORE_ROWS] = 0;
    store_remove(f.store, ids[5]);
    assert_int_equal(f.ev.count[STORE_ROWS], 1);
    assert_int_equal(f.ev.first, 5);
    assert_int_equal(store_total(f.store), total - 1);
    assert_true(store_row(f.store, 4)->id == ids[4]);
    assert_true(store_row(f.store, 5)->id == ids[6]);
    assert_true(store_row(f.store, 9)->id == ids[10]);  /* moved across a page */
    assert_true(store_row(f.store, 19)->id == ids[20]); /* and the next */
    assert_true(store_row(f.store, 28)->id == ids[29]);
    assert_int_equal(store_pending(f.store), 0);
    /* Row 29 was the first of a page not cached: it is fetched. */
    assert_null(store_row(f.store, 29));
    settle(&f);
    assert_non_null(store_row(f.store, 29));
    /* An id not in the list changes nothing. */
    store_remove(f.store, INT64_C(4999999999));
    assert_int_equal(store_total(f.store), total - 1);
    close_fixture(&f);
}

static void test_view_error(void **state)
{
    struct fixture f;

    (void)state;
    open_fixture(&f, url, 10, 3);
    store_set_view(f.store, 12345, API_SORT_UPDATED, false);
    settle(&f);
    assert_int_equal(f.ev.count[STORE_ERROR], 1);
    assert_non_null(store_error(f.store));
    assert_true(strlen(store_error(f.store)) > 5);
    /* A failed page is not asked for again on every redraw... */
    for (int i = 0; i < 10; i++)
        assert_null(store_row(f.store, 0));
    assert_int_equal(store_pending(f.store), 0);
    /* ...until the error is cleared. */
    store_clear_error(f.store);
    assert_null(store_row(f.store, 0));
    assert_int_equal(store_pending(f.store), 1);
    settle(&f);
    assert_int_equal(requests(&f, "/contacts/view/"), 2);
    close_fixture(&f);
}

static void test_switch_view_drops_stale_answers(void **state)
{
    struct fixture f;
    const struct contact_row *a;
    int64_t first_asc, id;

    (void)state;
    open_fixture(&f, url, 10, 3);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    first_asc = row_now(&f, 0)->id;
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, true);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, true);
    settle(&f);
    a = store_row(f.store, 0);
    assert_non_null(a);
    assert_true(a->id != first_asc); /* the answer of the last set_view, descending */
    id = a->id;
    /* Freeing with requests in flight. */
    store_set_view(f.store, ALL_VIEW, API_SORT_EMAIL, false);
    store_contact(f.store, id);
    assert_true(store_pending(f.store) >= 2);
    close_fixture(&f);
}

/* 5,000 rows walked one by one: every page asked for exactly once, at most
 * three kept, memory flat. */
static void test_walk_5000(void **state)
{
    const char *server = testutil_env("CRM_TEST_SERVER");
    char dbp[128], keys[128], walk_key[128];
    const char *saved_key = key;
    struct fixture f;
    size_t heap_mid = 0, heap_end;
    long t0, total;

    (void)state;
    snprintf(walk_dir, sizeof walk_dir, "/tmp/crmtest-walk.XXXXXX");
    assert_non_null(mkdtemp(walk_dir));
    snprintf(dbp, sizeof dbp, "%s/walk.db", walk_dir);
    snprintf(keys, sizeof keys, "%s/keys", walk_dir);
    assert_true(testutil_server_init(server, dbp, 5000, keys));
    assert_true(testutil_key(keys, "ana", walk_key, sizeof walk_key));
    assert_true(testutil_server_start(&srv, server, dbp, NULL));
    key = walk_key;
    open_fixture(&f, srv.url, 100, 3);
    store_set_view(f.store, ALL_VIEW, API_SORT_LAST_NAME, false);
    settle(&f);
    total = store_total(f.store);
    assert_true(total > 4500 && total <= 5000); /* a few seeded in the Recycle Bin */
    t0 = now_ms();
    for (long i = 0; i < total; i++) {
        const struct contact_row *r = row_now(&f, i);
        if (!r)
            fail_msg("row %ld did not arrive", i);
        if (i == 1000)
            heap_mid = mallinfo2().uordblks;
    }
    heap_end = mallinfo2().uordblks;
    /* Every page once, none twice. */
    assert_int_equal(requests(&f, "/contacts/view/"), (total + 99) / 100);
    /* The first pages are gone from the cache: it holds three. */
    assert_non_null(store_row(f.store, total - 1));
    assert_non_null(store_row(f.store, total - 201));
    assert_null(store_row(f.store, 0));
    /* Flat: the heap after 5,000 rows is within 256 KiB of that after 1,000
     * (mallinfo2 reads 0 under ASan, where this holds trivially). */
    assert_true(heap_end < heap_mid + 256 * 1024);
    print_message("walked %ld rows in %ld ms, %ld connection(s)\n", total, now_ms() - t0,
                  crm_client_connections(f.client));
    assert_int_equal(crm_client_connections(f.client), 1);
    close_fixture(&f);
    key = saved_key;
    testutil_server_stop(&srv, SIGTERM); /* the teardown removes the files */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_views, stop_server),
        cmocka_unit_test_teardown(test_pages_and_jump_to_end, stop_server),
        cmocka_unit_test_teardown(test_cache_bounded_and_order, stop_server),
        cmocka_unit_test_teardown(test_prefetch, stop_server),
        cmocka_unit_test_teardown(test_detail_and_timeline, stop_server),
        cmocka_unit_test_teardown(test_search, stop_server),
        cmocka_unit_test_teardown(test_remove_renumbers, stop_server),
        cmocka_unit_test_teardown(test_view_error, stop_server),
        cmocka_unit_test_teardown(test_switch_view_drops_stale_answers, stop_server),
        cmocka_unit_test_teardown(test_walk_5000, stop_server),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

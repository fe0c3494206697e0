/* Fuzz target: the smaller answers read by the JSON mappers: views (GET
 * /contacts/filters), search hits, users (GET /selector/owners, /users),
 * capabilities and DELETE answers. */
#include <stdlib.h>

#include "core/misc_json.h"
#include "tests/fuzz/fuzz_model.h"

/* A failed list returns nothing and says why. */
static void fuzz_list_failed(enum crm_status st, const void *out, size_t n, const char *err,
                             size_t errlen)
{
    FUZZ_ASSERT(st == CRM_ERR_PROTOCOL);
    FUZZ_ASSERT(out == NULL && n == 0);
    fuzz_check_err(err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct view *views = NULL;
    struct search_hit *hits = NULL;
    struct user *users = NULL;
    unsigned caps = 0xdeadu;
    size_t n = 0;
    char err[256] = "";
    enum crm_status st;

    st = misc_json_views(body, size, &views, &n, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(n == 0 || views != NULL);
        for (size_t i = 0; i < n; i++) {
            fuzz_model_view(&views[i]);
            model_view_clear(&views[i]);
        }
        free(views);
    } else {
        fuzz_list_failed(st, views, n, err, sizeof err);
    }

    n = 0;
    err[0] = '\0';
    st = misc_json_search(body, size, &hits, &n, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(n == 0 || hits != NULL);
        for (size_t i = 0; i < n; i++) {
            fuzz_model_hit(&hits[i]);
            model_search_hit_clear(&hits[i]);
        }
        free(hits);
    } else {
        fuzz_list_failed(st, hits, n, err, sizeof err);
    }

    n = 0;
    err[0] = '\0';
    st = misc_json_users(body, size, &users, &n, err, sizeof err);
    if (st == CRM_OK) {
        FUZZ_ASSERT(n == 0 || users != NULL);
        for (size_t i = 0; i < n; i++) {
            fuzz_model_user(&users[i]);
            model_user_clear(&users[i]);
        }
        free(users);
    } else {
        fuzz_list_failed(st, users, n, err, sizeof err);
    }

    err[0] = '\0';
    st = misc_json_capabilities(body, size, &caps, err, sizeof err);
    FUZZ_ASSERT((caps & ~((1u << CAP_COUNT) - 1u)) == 0);
    if (st != CRM_OK) {
        FUZZ_ASSERT(st == CRM_ERR_PROTOCOL && caps == 0);
        fuzz_check_err(err, sizeof err);
    }

    err[0] = '\0';
    st = misc_json_delete(body, size, err, sizeof err);
    FUZZ_ASSERT(st == CRM_OK || st == CRM_ERR_SERVER || st == CRM_ERR_PROTOCOL);
    if (st != CRM_OK)
        fuzz_check_err(err, sizeof err);
    return 0;
}

/* The saved views of contacts (GET /contacts/filters) and their pages
 * (GET /contacts/view/{id}), with paging, sorting and side-loaded owners;
 * also the view table and paging query companies share. */
#ifndef CRM_SERVER_HANDLERS_VIEWS_H
#define CRM_SERVER_HANDLERS_VIEWS_H

#include "server/router.h"

/* The contact views, declared once: id, name, default, which contacts. */
#define CONTACT_VIEW_LIST(X)                                                                       \
    X(70000000001LL, "All Contacts", true, VIEW_LIVE)                                              \
    X(70000000002LL, "My Contacts", false, VIEW_MINE)                                              \
    X(70000000003LL, "Do Not Disturb", false, VIEW_DND)                                            \
    X(70000000004LL, "Recycle Bin", false, VIEW_BIN)

/* The company views, declared once. */
#define COMPANY_VIEW_LIST(X)                                                                       \
    X(70000000101LL, "All Companies", true, VIEW_LIVE)                                             \
    X(70000000102LL, "Recycle Bin", false, VIEW_BIN)

enum view_kind { VIEW_LIVE, VIEW_MINE, VIEW_DND, VIEW_BIN };

struct view_def {
    int64_t id;
    const char *name;
    bool is_default;
    enum view_kind kind;
};

/* Answers {"filters":[...]} for n views of model_class (e.g. "Contact"). */
void handlers_views_filters(struct srv_resp *rs, const struct view_def *views, size_t n,
                            const char *model_class);

/* A sort order: the query's name and the ORDER BY expression (ascending). */
struct view_sort {
    const char *name;
    const char *expr;
};

/* Reads sort and sort_type from the query against the n sorts allowed (the
 * first is the default, with default_desc). Returns 0, or -1 after a 400. */
int handlers_views_sort(const struct srv_req *rq, struct srv_resp *rs,
                        const struct view_sort *sorts, size_t n, bool default_desc,
                        const struct view_sort **sort, bool *desc);

/* One page of ids: SELECT id FROM table WHERE where ORDER BY sort (then id),
 * where binds ?1 to bind1 when bind1 is non-zero. Deep pages are read from
 * the other end of the index. Fills ids (per_page long) and *n, *total.
 * Returns 0, or -1 on a database error. */
int handlers_views_page(sqlite3 *db, const char *table, const char *where, int64_t bind1,
                        const struct view_sort *sort, bool desc, long page, long per_page,
                        int64_t *ids, int *n, int64_t *total);

void handlers_views_contact_filters(const struct srv_req *rq, struct srv_resp *rs);
void handlers_views_contacts(const struct srv_req *rq, struct srv_resp *rs);

#endif

/* The table of screens, and the scaffolding the screens share: their body
 * window, cursor, Esc back and list movement. */
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/view.h"

static const struct view_ops *const views[VIEW_COUNT] = {
#define VIEW_TABLE(id, ops) [id] = &ops,
    VIEW_LIST(VIEW_TABLE)
#undef VIEW_TABLE
};

const struct view_ops *view_get(enum view_id id)
{
    return (unsigned)id < VIEW_COUNT ? views[id] : views[VIEW_START];
}

const enum keyctx view_admin_contexts[VIEW_ADMIN_N_CONTEXTS] = {CTX_ADMIN, CTX_BROWSE, CTX_GLOBAL};

bool view_body_make(WINDOW **win, const struct app *app)
{
    const struct rect *r = &app->layout.body;
    view_body_free(win);
    if (app->too_small || r->h <= 0)
        return false;
    *win = newwin(r->h, r->w, r->y, r->x);
    return true;
}

void view_body_free(WINDOW **win)
{
    if (*win)
        delwin(*win);
    *win = NULL;
}

void view_body_clear(WINDOW *win, const struct app *app)
{
    for (int y = 0; y < app->layout.body.h; y++)
        draw_fill(win, y, 0, app->layout.body.w, UIC_DEFAULT);
}

void view_home_cursor(WINDOW *win)
{
    if (!win)
        return;
    wmove(win, 0, 0);
    wnoutrefresh(win);
}

void view_full_redraw(struct app *app)
{
    app->full_redraw = true;
}

bool view_is_admin(const struct app *app)
{
    return app->me.role && strcmp(app->me.role, "admin") == 0;
}

bool view_offered(const struct app *app, unsigned any_of, const char *what, char *err, size_t len)
{
    if (app->capabilities & any_of)
        return true;
    snprintf(err, len, "%s is not available on this server.", what);
    return false;
}

bool view_back_to_contacts(struct app *app)
{
    if (crm_client_pending(app->client) > 0)
        return false;
    app_set_view(app, VIEW_CONTACTS);
    return true;
}

bool view_list_move(long *sel, long n, long page, enum action a)
{
    switch (a) {
    case ACT_MOVE_DOWN:
        *sel = *sel + 1 < n ? *sel + 1 : *sel;
        return true;
    case ACT_MOVE_UP:
        *sel = *sel > 0 ? *sel - 1 : 0;
        return true;
    case ACT_PAGE_DOWN:
        *sel = *sel + page < n ? *sel + page : (n ? n - 1 : 0);
        return true;
    case ACT_PAGE_UP:
        *sel = *sel > page ? *sel - page : 0;
        return true;
    case ACT_FIRST:
        *sel = 0;
        return true;
    case ACT_LAST:
        *sel = n ? n - 1 : 0;
        return true;
    default:
        return false;
    }
}

long view_list_top(long top, long sel, int rows)
{
    if (sel < top)
        top = sel;
    if (sel >= top + rows)
        top = sel - rows + 1;
    return top;
}

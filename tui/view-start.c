/* The connection screen: "connecting to ..." while the session starts, then
 * one sentence on what went wrong and the way on (r retry, q quit). */
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/draw.h"
#include "tui/textrows.h"

static WINDOW *body;

static void start_relayout(struct app *app)
{
    if (body) {
        delwin(body);
        body = NULL;
    }
    const struct rect *r = &app->layout.body;
    if (app->too_small || r->h <= 0)
        return;
    body = newwin(r->h, r->w, r->y, r->x);
    if (body)
        wbkgdset(body, (chtype)(' ' | colors_attr(UIC_DEFAULT)));
}

static void start_enter(struct app *app)
{
    start_relayout(app);
}

static void start_leave(struct app *app)
{
    (void)app;
    if (body) {
        delwin(body);
        body = NULL;
    }
}

static void start_draw(struct app *app, bool full)
{
    (void)full;
    if (!body)
        return;
    int h = app->layout.body.h, w = app->layout.body.w;
    struct trows rows = {.width = w - 1};
    char line[400];
    if (app->conn == CONN_FAILED) {
        trows_wrap(&rows, 1, app->conn_error, UIC_NOTICE);
        trows_add(&rows);
        trows_wrap(&rows, 1, "r retry, q quit", UIC_DEFAULT);
    } else {
        snprintf(line, sizeof(line), "Connecting to %s ...", app->url);
        trows_wrap(&rows, 1, line, UIC_NOTICE);
        trows_add(&rows);
        trows_wrap(&rows, 1, "q quit", UIC_DEFAULT);
    }
    int top = (h - (int)rows.n) / 2;
    if (top < 0)
        top = 0;
    for (int y = 0; y < h; y++)
        draw_fill(body, y, 0, w, UIC_DEFAULT);
    for (size_t i = 0; i < rows.n && top + (int)i < h; i++)
        trows_draw(&rows, body, top + (int)i, 1, (long)i, w);
    trows_clear(&rows);
    wnoutrefresh(body);
}

static bool start_handle(struct app *app, enum action a)
{
    if (a == ACT_RETRY) {
        if (app->conn == CONN_FAILED)
            app_connect(app);
        return true;
    }
    return false;
}

static void start_title(struct app *app, char *buf, size_t len)
{
    snprintf(buf, len, "%s", app->conn == CONN_FAILED ? "not connected" : "connecting");
}

static void start_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "connecting");
}

static void start_cursor(struct app *app)
{
    (void)app;
    if (!body)
        return;
    wmove(body, 0, 0);
    wnoutrefresh(body);
}

static void start_refresh(struct app *app)
{
    (void)app;
}

static const enum keyctx start_contexts[] = {CTX_START, CTX_GLOBAL};

const struct view_ops view_start_ops = {
    .name = "start",
    .contexts = start_contexts,
    .n_contexts = sizeof(start_contexts) / sizeof(start_contexts[0]),
    .enter = start_enter,
    .leave = start_leave,
    .relayout = start_relayout,
    .draw = start_draw,
    .handle = start_handle,
    .command = NULL,
    .store_event = NULL,
    .data_changed = start_refresh,
    .tick = NULL,
    .title = start_title,
    .busy = start_busy,
    .cursor = start_cursor,
};

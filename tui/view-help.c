/* The help screen: every action with its keys and every command, generated
 * from the action list and the keymap in use (rebound keys show as bound). */
#include <stdio.h>
#include <string.h>

#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/textrows.h"

#define KEY_COL  2
#define TEXT_COL 26

static struct {
    WINDOW *win;
    struct trows rows;
    long top;
} help;

static int help_height(const struct app *app)
{
    return app->layout.body.h;
}

static void help_build(struct app *app)
{
    trows_clear(&help.rows);
    help.rows.width = app->layout.body.w;
    int text_col = help.rows.width >= 60 ? TEXT_COL : 14;
    for (int c = 0; c < CTX_COUNT; c++) {
        char heading[128];
        snprintf(heading, sizeof(heading), "%s (%s)", actions_ctx_title((enum keyctx)c),
                 actions_ctx_name((enum keyctx)c));
        if (c > 0)
            trows_add(&help.rows);
        trows_wrap(&help.rows, 1, heading, UIC_HELP_HEADING);
        for (int a = 1; a < ACT_COUNT; a++) {
            char keys[128];
            keymap_keys_for(app->keymap, (enum keyctx)c, (enum action)a, keys, sizeof(keys));
            if (!keys[0])
                continue;
            char text[256];
            snprintf(text, sizeof(text), "%s (%s)", actions_help((enum action)a),
                     actions_name((enum action)a));
            if (sanitize_width(keys) >= text_col - KEY_COL - 1) {
                trows_wrap(&help.rows, KEY_COL, keys, UIC_HELP_KEY);
                trows_wrap(&help.rows, text_col, text, UIC_HELP_TEXT);
            } else {
                trows_field(&help.rows, KEY_COL, keys, UIC_HELP_KEY, text_col, text, UIC_HELP_TEXT,
                            NULL, UIC_HELP_TEXT);
            }
        }
    }
    trows_add(&help.rows);
    trows_wrap(&help.rows, 1, "Commands (type : first; a unique prefix is enough)",
               UIC_HELP_HEADING);
    for (int c = 1; c < CMD_COUNT; c++) {
        char name[64];
        const char *arg = actions_command_arg((enum command)c);
        snprintf(name, sizeof(name), ":%s%s%s", actions_command_name((enum command)c),
                 arg[0] ? " " : "", arg);
        trows_field(&help.rows, KEY_COL, name, UIC_HELP_KEY, text_col,
                    actions_command_help((enum command)c), UIC_HELP_TEXT, NULL, UIC_HELP_TEXT);
    }
    trows_add(&help.rows);
    trows_wrap(&help.rows, 1,
               "Keys can be changed in the config file with lines \"bind CONTEXT KEY ACTION\" "
               "(docs/keys.md lists them all).",
               UIC_HELP_TEXT);
}

static void help_relayout(struct app *app)
{
    if (!view_body_make(&help.win, app))
        return;
    if (help.win)
        wbkgdset(help.win, (chtype)(' ' | colors_attr(UIC_DEFAULT)));
    help_build(app);
    help.top = layout_scroll_top(help.top, help.top, help_height(app), (long)help.rows.n);
}

static void help_enter(struct app *app)
{
    help.top = 0;
    help_relayout(app);
}

static void help_leave(struct app *app)
{
    (void)app;
    view_body_free(&help.win);
    trows_clear(&help.rows);
}

static bool dirty;

static void help_draw(struct app *app, bool full)
{
    if (!help.win || !(full || dirty))
        return;
    trows_draw(&help.rows, help.win, 0, help_height(app), help.top, app->layout.body.w);
    wnoutrefresh(help.win);
    dirty = false;
}

static void help_scroll(struct app *app, long delta)
{
    long h = help_height(app);
    long max = (long)help.rows.n - h;
    long top = help.top + delta;
    if (top > max)
        top = max;
    if (top < 0)
        top = 0;
    if (top != help.top) {
        help.top = top;
        dirty = true;
        app->dirty_header = true;
    }
}

static bool help_handle(struct app *app, enum action a)
{
    int h = help_height(app);
    switch (a) {
    case ACT_MOVE_DOWN:
        help_scroll(app, 1);
        return true;
    case ACT_MOVE_UP:
        help_scroll(app, -1);
        return true;
    case ACT_PAGE_DOWN:
        help_scroll(app, h - 1);
        return true;
    case ACT_PAGE_UP:
        help_scroll(app, -(h - 1));
        return true;
    case ACT_FIRST:
        help_scroll(app, -(long)help.rows.n);
        return true;
    case ACT_LAST:
        help_scroll(app, (long)help.rows.n);
        return true;
    case ACT_BACK:
        app_set_view(app, app->view_before_help);
        return true;
    default:
        return false;
    }
}

static void help_title(struct app *app, char *buf, size_t len)
{
    long last = help.top + help_height(app);
    if (last > (long)help.rows.n)
        last = (long)help.rows.n;
    snprintf(buf, len, "Help  %ld-%ld of %zu", help.rows.n ? help.top + 1 : 0, last, help.rows.n);
}

static void help_busy(struct app *app, char *buf, size_t len)
{
    (void)app;
    snprintf(buf, len, "loading");
}

static void help_cursor(struct app *app)
{
    (void)app;
    view_home_cursor(help.win);
}

static void help_refresh(struct app *app)
{
    (void)app;
}

static const enum keyctx help_contexts[] = {CTX_BROWSE, CTX_GLOBAL};

const struct view_ops view_help_ops = {
    .name = "help",
    .contexts = help_contexts,
    .n_contexts = sizeof(help_contexts) / sizeof(help_contexts[0]),
    .enter = help_enter,
    .leave = help_leave,
    .relayout = help_relayout,
    .draw = help_draw,
    .handle = help_handle,
    .command = NULL,
    .store_event = NULL,
    .data_changed = help_refresh,
    .tick = NULL,
    .title = help_title,
    .busy = help_busy,
    .cursor = help_cursor,
};

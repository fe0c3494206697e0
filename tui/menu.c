/* The quick-action menu over the selected contact: the entries of MENU_LIST
 * with their letters, dimmed with a reason when not available. */
#include "tui/mask.h"
#include "tui/menu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/xalloc.h"

typedef bool (*menu_available_fn)(const struct app *app, const struct menu_target *t,
                                  const char **why);
typedef void (*menu_run_fn)(struct app *app, const struct menu_target *t);

static const struct menu_entry {
    int key;
    const char *label;
    menu_available_fn available;
    menu_run_fn run;
} entries[] = {
#define MENU_ENTRY(key, label, available, run) {key, label, available, run},
    MENU_LIST(MENU_ENTRY)
#undef MENU_ENTRY
};

#define N_ENTRIES (sizeof entries / sizeof entries[0])

struct menu_state {
    struct menu_target target;
    size_t sel;
    char note[160]; /* why the last letter did nothing */
};

size_t menu_count(void)
{
    return N_ENTRIES;
}

int menu_key_at(size_t i)
{
    return i < N_ENTRIES ? entries[i].key : 0;
}

const char *menu_label_at(size_t i)
{
    return i < N_ENTRIES ? entries[i].label : "";
}

bool menu_need_capability(const struct app *app, enum model_capability cap, const char **why)
{
    if (app->capabilities & (1u << cap))
        return true;
    *why = MENU_WHY_SERVER;
    return false;
}

static bool entry_available(const struct app *app, const struct menu_state *m, size_t i,
                            const char **why)
{
    *why = "";
    return entries[i].available(app, &m->target, why);
}

static void menu_size(void *st, int max_rows, int max_cols, int *rows, int *cols)
{
    int w = 36;
    (void)st;
    (void)max_rows;
    (void)max_cols;
    /* room for the longest label and a reason such as "not offered by this server" */
    for (size_t i = 0; i < N_ENTRIES; i++) {
        int lw = (int)strlen(entries[i].label) + 4 + 32;
        if (lw > w)
            w = lw;
    }
    *rows = (int)N_ENTRIES + 2;
    *cols = w;
}

static int menu_draw(struct app *app, void *st, WINDOW *w, int rows, int cols, int *cy)
{
    struct menu_state *m = st;
    (void)cy;
    for (size_t i = 0; i < N_ENTRIES && (int)i < rows; i++) {
        const char *why;
        bool ok = entry_available(app, m, i, &why);
        bool sel = i == m->sel;
        enum uic c = sel ? UIC_LIST_SELECTED : ok ? UIC_LIST_ROW : UIC_LIST_LOADING;
        char line[160];
        if (ok)
            snprintf(line, sizeof line, " %c  %s", entries[i].key, entries[i].label);
        else
            snprintf(line, sizeof line, " %c  %s  (%s)", entries[i].key, entries[i].label, why);
        draw_cell(w, (int)i, 0, cols, line, c);
    }
    int y = (int)N_ENTRIES + 1;
    if (y < rows)
        draw_cell(w, y, 0, cols, m->note[0] ? m->note : "letter or Enter runs, Esc closes",
                  m->note[0] ? UIC_STATUS_ERROR : UIC_LIST_LOADING);
    return -1;
}

static void run_entry(struct app *app, struct menu_state *m, size_t i)
{
    const char *why;
    if (!entry_available(app, m, i, &why)) {
        snprintf(m->note, sizeof m->note, "%s: %s", entries[i].label, why);
        return;
    }
    struct menu_target t = m->target;
    menu_run_fn run = entries[i].run;
    dialog_close(app, m);
    run(app, &t);
}

static void menu_key(struct app *app, void *st, int key)
{
    struct menu_state *m = st;
    m->note[0] = '\0';
    if (key == KEYMAP_ESC || key == 'q') {
        dialog_close(app, m);
        return;
    }
    if (key == KEYMAP_FN(KEY_DOWN) || key == 'j' || key == KEYMAP_TAB) {
        m->sel = (m->sel + 1) % N_ENTRIES;
        return;
    }
    if (key == KEYMAP_FN(KEY_UP) || key == 'k' || key == KEYMAP_FN(KEY_BTAB)) {
        m->sel = (m->sel + N_ENTRIES - 1) % N_ENTRIES;
        return;
    }
    if (key == KEYMAP_ENTER) {
        run_entry(app, m, m->sel);
        return;
    }
    for (size_t i = 0; i < N_ENTRIES; i++) {
        if (entries[i].key == key) {
            m->sel = i;
            run_entry(app, m, i);
            return;
        }
    }
    char name[32];
    keymap_key_name(key, name, sizeof name);
    snprintf(m->note, sizeof m->note, "%s is not an action here", name);
}

static const struct dialog_ops menu_ops = {
    .size = menu_size, .draw = menu_draw, .key = menu_key, .free = NULL};

void menu_open(struct app *app, const struct contact_row *row, int anchor_y)
{
    if (!row)
        return;
    struct menu_state *m = xcalloc(1, sizeof *m);
    m->target.id = row->id;
    draw_copy(m->target.name, sizeof m->target.name, row->name);
    draw_copy(m->target.email, sizeof m->target.email, row->email);
    draw_copy(m->target.shown_name, sizeof m->target.shown_name,
              mask_show(row->id, MASK_NAME, m->target.name, (char[256]){0}, 256));
    draw_copy(m->target.shown_email, sizeof m->target.shown_email,
              mask_show(row->id, MASK_EMAIL, m->target.email, (char[256]){0}, 256));
    m->target.deleted = row->is_deleted;
    m->target.do_not_disturb = row->do_not_disturb;
    m->target.subscription_status = row->subscription_status;
    char title[300];
    snprintf(title, sizeof title, "Actions: %s", m->target.shown_name);
    dialog_push(app, &menu_ops, m, title, anchor_y);
}

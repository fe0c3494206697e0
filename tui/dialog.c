/* Boxes over the screen: the layer that stacks them, takes keys and draws
 * them over the current screen, and the ready-made choice, typed
 * confirmation, message and busy boxes. */
#include "tui/dialog.h"

#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/xalloc.h"

#define DIALOG_DEPTH 4
#define TEXT_MAX     2048
#define CHOICES_MAX  6

struct box {
    const struct dialog_ops *ops;
    void *st;
    char title[96];
    int anchor_y;
    WINDOW *win;
    int y, x, h, w;
};

static struct box boxes[DIALOG_DEPTH];
static int n_boxes;

static void free_state(const struct dialog_ops *ops, void *st)
{
    if (ops->free)
        ops->free(st);
    else
        free(st);
}

void dialog_push(struct app *app, const struct dialog_ops *ops, void *st, const char *title,
                 int anchor_y)
{
    if (n_boxes == DIALOG_DEPTH) {
        free_state(ops, st);
        app_warn(app, "too many boxes open");
        return;
    }
    struct box *b = &boxes[n_boxes++];
    memset(b, 0, sizeof *b);
    b->ops = ops;
    b->st = st;
    b->anchor_y = anchor_y;
    draw_copy(b->title, sizeof b->title, title);
}

static void drop(struct app *app, int i)
{
    struct box b = boxes[i];
    memmove(&boxes[i], &boxes[i + 1], (size_t)(n_boxes - i - 1) * sizeof boxes[0]);
    n_boxes--;
    if (b.win)
        delwin(b.win);
    free_state(b.ops, b.st);
    app->full_redraw = true; /* what the box covered is drawn again */
}

void dialog_close(struct app *app, void *st)
{
    for (int i = n_boxes - 1; i >= 0; i--) {
        if (boxes[i].st == st) {
            drop(app, i);
            return;
        }
    }
}

bool dialog_is_open(const void *st)
{
    for (int i = 0; i < n_boxes; i++)
        if (boxes[i].st == st)
            return true;
    return false;
}

bool dialog_active(void)
{
    return n_boxes > 0;
}

bool dialog_key(struct app *app, int key)
{
    if (n_boxes == 0)
        return false;
    struct box *b = &boxes[n_boxes - 1];
    b->ops->key(app, b->st, key);
    return true;
}

void dialog_close_all(struct app *app)
{
    while (n_boxes > 0)
        drop(app, n_boxes - 1);
}

/* Where box b goes on a screen of rows x cols. */
static void place(struct box *b, int rows, int cols)
{
    int max_h = rows - 2 - 2, max_w = cols - 4 - 2; /* border and a margin */
    int h = 1, w = 20;
    if (max_h < 1)
        max_h = 1;
    if (max_w < 10)
        max_w = 10;
    b->ops->size(b->st, max_h, max_w, &h, &w);
    int tw = sanitize_width(b->title) + 4;
    if (w < tw)
        w = tw;
    h = h < 1 ? 1 : h > max_h ? max_h : h;
    w = w < 10 ? 10 : w > max_w ? max_w : w;
    b->h = h + 2;
    b->w = w + 2;
    b->x = (cols - b->w) / 2;
    if (b->anchor_y >= 0 && b->anchor_y + 1 + b->h <= rows - 1)
        b->y = b->anchor_y + 1;
    else if (b->anchor_y >= 0 && b->anchor_y - b->h >= 1)
        b->y = b->anchor_y - b->h;
    else
        b->y = (rows - b->h) / 2;
    if (b->y < 1)
        b->y = 1;
}

bool dialog_draw(struct app *app)
{
    int rows, cols, cur_y = -1, cur_x = -1;
    WINDOW *cur_w = NULL;
    getmaxyx(stdscr, rows, cols);
    for (int i = 0; i < n_boxes; i++) {
        struct box *b = &boxes[i];
        int oy = b->y, ox = b->x, oh = b->h, ow = b->w;
        place(b, rows, cols);
        if (b->win && (oy != b->y || ox != b->x || oh != b->h || ow != b->w)) {
            delwin(b->win);
            b->win = NULL;
            app->full_redraw = true;
        }
        if (!b->win) {
            b->win = newwin(b->h, b->w, b->y, b->x);
            if (!b->win)
                continue;
        }
        WINDOW *w = b->win;
        werase(w);
        wattrset(w, colors_attr(UIC_DEFAULT));
        wbkgdset(w, ' ' | colors_attr(UIC_DEFAULT));
        box(w, 0, 0);
        if (b->title[0]) {
            draw_text(w, 0, 2, b->w - 4, " ", UIC_PANE_TITLE_FOCUS);
            draw_text(w, 0, 3, b->w - 6, b->title, UIC_PANE_TITLE_FOCUS);
            draw_text(w, 0, 3 + sanitize_width(b->title), 1, " ", UIC_PANE_TITLE_FOCUS);
        }
        WINDOW *inner = derwin(w, b->h - 2, b->w - 2, 1, 1);
        if (inner) {
            int cy = -1;
            int cx = b->ops->draw(app, b->st, inner, b->h - 2, b->w - 2, &cy);
            delwin(inner);
            if (i == n_boxes - 1 && cx >= 0 && cy >= 0) {
                cur_w = w;
                cur_y = cy + 1;
                cur_x = cx + 1;
            } else if (i == n_boxes - 1) {
                cur_w = NULL;
            }
        }
        touchwin(w);
        wnoutrefresh(w);
    }
    if (cur_w) {
        curs_set(1);
        wmove(cur_w, cur_y, cur_x);
        wnoutrefresh(cur_w);
        return true;
    }
    if (n_boxes > 0) {
        curs_set(0);
        return true;
    }
    return false;
}

/* ---- line editing ---- */

enum cmdline_result dialog_line_key(const struct keymap *km, struct cmdline *cl, int key)
{
    enum action a;
    if (key == KEYMAP_ENTER || key == KEYMAP_ESC || key == KEYMAP_TAB ||
        key == KEYMAP_FN(KEY_BTAB) || key == KEYMAP_FN(KEY_UP) || key == KEYMAP_FN(KEY_DOWN))
        return CMDLINE_UNHANDLED;
    if (keymap_lookup(km, CTX_PROMPT, key, &a)) {
        if (a == ACT_ACCEPT || a == ACT_CANCEL || a == ACT_HISTORY_PREV || a == ACT_HISTORY_NEXT)
            return CMDLINE_UNHANDLED;
        cmdline_action(cl, a);
        return CMDLINE_EDITING;
    }
    char utf8[4];
    size_t n = keymap_utf8(key, utf8);
    if (n == 0 || key < 0x20)
        return CMDLINE_UNHANDLED;
    /* Only characters the sanitizer leaves alone: no controls, no bidi. */
    char *clean = sanitize_str(utf8, n, 0);
    if (strlen(clean) == n && memcmp(clean, utf8, n) == 0)
        cmdline_insert(cl, utf8, n);
    free(clean);
    return CMDLINE_EDITING;
}

int dialog_line_draw(WINDOW *w, int y, int x, int cols, const struct cmdline *cl, enum uic c)
{
    const char *text = cmdline_text(cl);
    char before[CMDLINE_MAX];
    memcpy(before, text, cl->cur);
    before[cl->cur] = '\0';
    size_t skip = 0;
    while (before[skip] && sanitize_width(before + skip) >= cols - 1) {
        skip++;
        while (((unsigned char)before[skip] & 0xC0) == 0x80)
            skip++;
    }
    draw_cell(w, y, x, cols, text + skip, c);
    return x + sanitize_width(before + skip);
}

/* ---- text boxes: choice, typed confirmation, message, busy ---- */

enum text_kind { TEXT_CHOICE, TEXT_TYPED, TEXT_MESSAGE, TEXT_BUSY };

struct text_box {
    enum text_kind kind;
    char text[TEXT_MAX];
    bool error;
    struct dialog_choice choices[CHOICES_MAX];
    char labels[CHOICES_MAX][96];
    size_t n_choices;
    struct cmdline line;
    char expected[CMDLINE_MAX];
    char mismatch[128];
    dialog_choice_fn choice_fn;
    dialog_typed_fn typed_fn;
    dialog_done_fn done_fn;
    void *ud;
};

/* Rows text takes wrapped at cols. */
static int text_rows(const char *s, int cols)
{
    int n = 0;
    size_t off = 0;
    while (s[off]) {
        size_t next;
        draw_wrap(s + off, cols, &next);
        n++;
        if (next == 0)
            break;
        off += next;
    }
    return n;
}

static int text_draw(WINDOW *w, int y, int rows, int cols, const char *s, enum uic c)
{
    size_t off = 0;
    while (s[off] && y < rows) {
        size_t next;
        size_t n = draw_wrap(s + off, cols, &next);
        char line[TEXT_MAX];
        memcpy(line, s + off, n);
        line[n] = '\0';
        draw_cell(w, y++, 0, cols, line, c);
        if (next == 0)
            break;
        off += next;
    }
    return y;
}

static int widest_line(const char *s)
{
    int best = 0;
    char line[TEXT_MAX];
    while (*s) {
        size_t n = strcspn(s, "\n");
        memcpy(line, s, n);
        line[n] = '\0';
        int wd = sanitize_width(line);
        if (wd > best)
            best = wd;
        s += n + (s[n] == '\n');
    }
    return best;
}

static void text_size(void *stp, int max_rows, int max_cols, int *rows, int *cols)
{
    struct text_box *t = stp;
    int w = widest_line(t->text);
    for (size_t i = 0; i < t->n_choices; i++) {
        int cw = sanitize_width(t->labels[i]) + 4;
        if (cw > w)
            w = cw;
    }
    if (t->kind == TEXT_TYPED && w < 50)
        w = 50;
    if (w > max_cols)
        w = max_cols;
    if (w > 76)
        w = 76;
    int h = text_rows(t->text, w) + 1;
    if (t->kind == TEXT_CHOICE)
        h += (int)t->n_choices;
    else if (t->kind == TEXT_TYPED)
        h += 2;
    else if (t->kind == TEXT_MESSAGE)
        h += 1;
    (void)max_rows;
    *rows = h;
    *cols = w;
}

static int text_draw_box(struct app *app, void *stp, WINDOW *w, int rows, int cols, int *cy)
{
    struct text_box *t = stp;
    (void)app;
    int y = text_draw(w, 0, rows, cols, t->text, t->error ? UIC_STATUS_ERROR : UIC_DEFAULT);
    y++;
    switch (t->kind) {
    case TEXT_CHOICE:
        for (size_t i = 0; i < t->n_choices && y < rows; i++) {
            char key[32];
            keymap_key_name(t->choices[i].key, key, sizeof key);
            draw_text(w, y, 1, cols - 1, key, UIC_HELP_KEY);
            draw_text(w, y++, 4, cols - 4, t->labels[i], UIC_DEFAULT);
        }
        return -1;
    case TEXT_TYPED: {
        if (y >= rows)
            return -1;
        int cx = dialog_line_draw(w, y, 0, cols, &t->line, UIC_LIST_SELECTED);
        *cy = y;
        if (t->mismatch[0] && y + 1 < rows)
            draw_text(w, y + 1, 0, cols, t->mismatch, UIC_STATUS_ERROR);
        else if (y + 1 < rows)
            draw_text(w, y + 1, 0, cols, "Enter confirms, Esc cancels", UIC_LIST_LOADING);
        return cx;
    }
    case TEXT_MESSAGE:
        if (y < rows)
            draw_text(w, y, 0, cols, "Enter closes", UIC_LIST_LOADING);
        return -1;
    case TEXT_BUSY:
    default:
        return -1;
    }
}

static void text_key(struct app *app, void *stp, int key)
{
    struct text_box *t = stp;
    void *ud = t->ud;
    switch (t->kind) {
    case TEXT_CHOICE: {
        dialog_choice_fn fn = t->choice_fn;
        int chosen = -1;
        if (key == KEYMAP_ESC)
            chosen = 0;
        for (size_t i = 0; i < t->n_choices && chosen < 0; i++)
            if (t->choices[i].key == key)
                chosen = key;
        if (chosen < 0)
            return;
        dialog_close(app, t);
        fn(app, chosen, ud);
        return;
    }
    case TEXT_TYPED: {
        dialog_typed_fn fn = t->typed_fn;
        if (key == KEYMAP_ESC) {
            dialog_close(app, t);
            fn(app, false, ud);
            return;
        }
        if (key == KEYMAP_ENTER) {
            if (strcmp(cmdline_text(&t->line), t->expected) != 0) {
                draw_copy(t->mismatch, sizeof t->mismatch,
                          "That does not match: nothing was done. Type it exactly, or Esc.");
                return;
            }
            dialog_close(app, t);
            fn(app, true, ud);
            return;
        }
        if (dialog_line_key(app->keymap, &t->line, key) == CMDLINE_EDITING)
            t->mismatch[0] = '\0';
        return;
    }
    case TEXT_MESSAGE:
        if (key == KEYMAP_ENTER || key == KEYMAP_ESC || key == 'q') {
            dialog_done_fn fn = t->done_fn;
            dialog_close(app, t);
            if (fn)
                fn(app, ud);
        }
        return;
    case TEXT_BUSY:
        if (key == KEYMAP_ESC && t->done_fn) {
            dialog_done_fn fn = t->done_fn;
            dialog_close(app, t);
            fn(app, ud);
        }
        return;
    }
}

static void text_free(void *stp)
{
    struct text_box *t = stp;
    cmdline_free(&t->line);
    free(t);
}

static const struct dialog_ops text_ops = {
    .size = text_size, .draw = text_draw_box, .key = text_key, .free = text_free};

static struct text_box *text_new(enum text_kind kind, const char *text, void *ud)
{
    struct text_box *t = xcalloc(1, sizeof *t);
    t->kind = kind;
    t->ud = ud;
    cmdline_init(&t->line);
    draw_copy(t->text, sizeof t->text, text);
    return t;
}

void dialog_choose(struct app *app, const char *title, const char *text,
                   const struct dialog_choice *choices, size_t n, dialog_choice_fn fn, void *ud)
{
    struct text_box *t = text_new(TEXT_CHOICE, text, ud);
    t->choice_fn = fn;
    for (size_t i = 0; i < n && i < CHOICES_MAX; i++) {
        t->choices[i].key = choices[i].key;
        draw_copy(t->labels[i], sizeof t->labels[i], choices[i].label);
        t->choices[i].label = t->labels[i];
        t->n_choices++;
    }
    dialog_push(app, &text_ops, t, title, -1);
}

void dialog_typed(struct app *app, const char *title, const char *text, const char *expected,
                  dialog_typed_fn fn, void *ud)
{
    struct text_box *t = text_new(TEXT_TYPED, text, ud);
    t->typed_fn = fn;
    draw_copy(t->expected, sizeof t->expected, expected);
    cmdline_start(&t->line);
    dialog_push(app, &text_ops, t, title, -1);
}

void *dialog_message(struct app *app, const char *title, const char *text, bool error,
                     dialog_done_fn fn, void *ud)
{
    struct text_box *t = text_new(TEXT_MESSAGE, text, ud);
    t->error = error;
    t->done_fn = fn;
    dialog_push(app, &text_ops, t, title, -1);
    return dialog_is_open(t) ? t : NULL;
}

void *dialog_busy(struct app *app, const char *title, const char *text, dialog_done_fn cancel,
                  void *ud)
{
    struct text_box *t = text_new(TEXT_BUSY, text, ud);
    t->done_fn = cancel;
    dialog_push(app, &text_ops, t, title, -1);
    return dialog_is_open(t) ? t : NULL;
}

void dialog_set_text(void *handle, const char *text)
{
    struct text_box *t = handle;
    if (!handle || !dialog_is_open(handle))
        return;
    draw_copy(t->text, sizeof t->text, text);
}

/* A small form in a box: labelled line editors and checkboxes with a
 * message under each, moved through with Tab, submitted with Enter. */
#include "tui/form.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/dialog.h"
#include "tui/draw.h"
#include "tui/xalloc.h"

#define FORM_FIELDS_MAX 24
#define FORM_LABEL_W    14

struct form_field {
    char label[48];
    bool is_check;
    bool on;
    struct cmdline line;
    char first[CMDLINE_MAX];
    size_t max;
    form_check_fn check;
    char error[160];
};

struct form {
    char title[96];
    struct form_field fields[FORM_FIELDS_MAX];
    int n;
    int focus;
    char hint[160];
    char error[256];
    char busy[160];
    form_submit_fn submit;
    form_cancel_fn cancel;
    void *ud;
    int top; /* first field shown when they do not all fit */
};

const char *form_check_email(const char *text)
{
    const char *at = strchr(text, '@');
    size_t n = strlen(text);
    if (n == 0)
        return NULL;
    if (n > 254)
        return "too long for an email address";
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr(",;<>()[]\\\"", *p))
            return "an email address has no spaces, commas, quotes or brackets";
    if (!at || at == text || strchr(at + 1, '@'))
        return "not an email address: it needs one @ with a name before it";
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1] || strstr(at + 1, "..") || at[1] == '.')
        return "not an email address: after the @ comes a domain like example.com";
    return NULL;
}

const char *form_check_phone(const char *text)
{
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("+-() ./x", *p))
            return "a phone number has digits, spaces and + - ( ) . / x only";
    return NULL;
}

struct form *form_new(const char *title)
{
    struct form *f = xcalloc(1, sizeof *f);
    draw_copy(f->title, sizeof f->title, title);
    return f;
}

static void form_release(void *p)
{
    struct form *f = p;
    for (int i = 0; i < f->n; i++)
        cmdline_free(&f->fields[i].line);
    free(f);
}

void form_free(struct form **pp)
{
    if (!pp || !*pp)
        return;
    form_release(*pp);
    *pp = NULL;
}

static struct form_field *add_field(struct form *f, const char *label)
{
    if (f->n == FORM_FIELDS_MAX)
        abort(); /* a programming error: forms are small and fixed */
    struct form_field *fd = &f->fields[f->n++];
    memset(fd, 0, sizeof *fd);
    draw_copy(fd->label, sizeof fd->label, label);
    cmdline_init(&fd->line);
    cmdline_start(&fd->line);
    return fd;
}

int form_add_text(struct form *f, const char *label, const char *value, size_t max_bytes,
                  form_check_fn check)
{
    struct form_field *fd = add_field(f, label);
    fd->max = max_bytes == 0 || max_bytes > CMDLINE_MAX - 1 ? CMDLINE_MAX - 1 : max_bytes;
    fd->check = check;
    draw_copy(fd->first, fd->max + 1, value);
    /* typed in character by character so the cursor ends on a boundary */
    const char *s = fd->first;
    while (*s) {
        size_t n = 1;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        cmdline_insert(&fd->line, s, n);
        s += n;
    }
    return f->n - 1;
}

int form_add_check(struct form *f, const char *label, bool on)
{
    struct form_field *fd = add_field(f, label);
    fd->is_check = true;
    fd->on = on;
    return f->n - 1;
}

void form_set_hint(struct form *f, const char *hint)
{
    draw_copy(f->hint, sizeof f->hint, hint);
}

static bool valid(const struct form *f, int i)
{
    return f && i >= 0 && i < f->n;
}

const char *form_text(const struct form *f, int field)
{
    if (!valid(f, field) || f->fields[field].is_check)
        return "";
    return cmdline_text(&f->fields[field].line);
}

bool form_changed(const struct form *f, int field)
{
    if (!valid(f, field))
        return false;
    return strcmp(form_text(f, field), f->fields[field].first) != 0;
}

bool form_checked(const struct form *f, int field)
{
    return valid(f, field) && f->fields[field].is_check && f->fields[field].on;
}

int form_focus(const struct form *f)
{
    return f->focus;
}

void form_set_error(struct form *f, int field, const char *msg)
{
    if (field < 0)
        draw_copy(f->error, sizeof f->error, msg);
    else if (valid(f, field))
        draw_copy(f->fields[field].error, sizeof f->fields[field].error, msg);
}

const char *form_error(const struct form *f, int field)
{
    if (field < 0)
        return f->error;
    return valid(f, field) ? f->fields[field].error : "";
}

void form_set_busy(struct form *f, const char *busy)
{
    draw_copy(f->busy, sizeof f->busy, busy);
}

int form_validate(struct form *f)
{
    int bad = 0, first = -1;
    for (int i = 0; i < f->n; i++) {
        struct form_field *fd = &f->fields[i];
        const char *why = NULL;
        if (!fd->is_check && strlen(form_text(f, i)) > fd->max)
            why = "too long";
        else if (!fd->is_check && fd->check)
            why = fd->check(form_text(f, i));
        draw_copy(fd->error, sizeof fd->error, why);
        if (why) {
            bad++;
            if (first < 0)
                first = i;
        }
    }
    if (first >= 0)
        f->focus = first;
    return bad;
}

enum form_result form_feed(struct form *f, const struct keymap *km, int key)
{
    if (key == KEYMAP_ESC)
        return FORM_CANCEL;
    if (f->busy[0] || f->n == 0)
        return FORM_EDITING;
    if (key == KEYMAP_TAB || key == KEYMAP_FN(KEY_DOWN)) {
        f->focus = (f->focus + 1) % f->n;
        return FORM_EDITING;
    }
    if (key == KEYMAP_FN(KEY_BTAB) || key == KEYMAP_FN(KEY_UP)) {
        f->focus = (f->focus + f->n - 1) % f->n;
        return FORM_EDITING;
    }
    if (key == KEYMAP_ENTER) {
        f->error[0] = '\0';
        return form_validate(f) == 0 ? FORM_SUBMIT : FORM_EDITING;
    }
    struct form_field *fd = &f->fields[f->focus];
    if (fd->is_check) {
        if (key == ' ' || key == 'x') {
            fd->on = !fd->on;
            fd->error[0] = '\0';
        }
        return FORM_EDITING;
    }
    size_t before = fd->line.len;
    if (dialog_line_key(km, &fd->line, key) == CMDLINE_EDITING) {
        if (fd->line.len > fd->max && fd->line.len > before) /* past the limit: undone */
            cmdline_action(&fd->line, ACT_DELETE_BACK);
        fd->error[0] = '\0';
    }
    return FORM_EDITING;
}

/* ---- the box ---- */

static int label_width(int cols)
{
    return cols > 40 ? FORM_LABEL_W : cols / 3;
}

/* Lines text takes wrapped at cols (at least one). */
static int wrapped_lines(const char *text, int cols)
{
    int n = 0;
    size_t off = 0;
    while (text[off] && n < 4) {
        size_t next;
        draw_wrap(text + off, cols, &next);
        n++;
        if (next == 0)
            break;
        off += next;
    }
    return n ? n : 1;
}

/* A field's rows: its line, then its message wrapped under the value. */
static int field_rows(const struct form_field *fd, int cols)
{
    int lw = label_width(cols);
    return fd->error[0] ? 1 + wrapped_lines(fd->error, cols - lw - 1) : 1;
}

/* The form's own line: busy, else its error, else the hint. */
static const char *form_line(const struct form *f)
{
    return f->busy[0]    ? f->busy
           : f->error[0] ? f->error
           : f->hint[0]  ? f->hint
                         : "Tab next field, Enter saves, Esc cancels";
}

static void form_size(void *st, int max_rows, int max_cols, int *rows, int *cols)
{
    struct form *f = st;
    int h = 0, w = max_cols < 96 ? max_cols : 96;
    for (int i = 0; i < f->n; i++)
        h += field_rows(&f->fields[i], w);
    h += 1 + wrapped_lines(form_line(f), w); /* a blank line, the form's line */
    (void)max_rows;
    *rows = h;
    *cols = w;
}

static int form_draw(struct app *app, void *st, WINDOW *w, int rows, int cols, int *cy)
{
    struct form *f = st;
    int cursor = -1;
    int foot = 1 + wrapped_lines(form_line(f), cols); /* a blank line, the form's line */
    (void)app;
    /* scroll so the focused field and its message show */
    int need = 0;
    for (int i = f->top; i <= f->focus && i < f->n; i++)
        need += field_rows(&f->fields[i], cols);
    if (f->focus < f->top)
        f->top = f->focus;
    while (need > rows - foot && f->top < f->focus) {
        need -= field_rows(&f->fields[f->top], cols);
        f->top++;
    }
    int y = 0;
    int lw = label_width(cols);
    for (int i = f->top; i < f->n && y < rows - foot; i++) {
        struct form_field *fd = &f->fields[i];
        bool focus = i == f->focus;
        draw_cell(w, y, 0, lw, fd->label, focus ? UIC_PANE_TITLE_FOCUS : UIC_DETAIL_LABEL);
        if (fd->is_check) {
            draw_cell(w, y, lw + 1, cols - lw - 1, fd->on ? "[x]" : "[ ]",
                      focus ? UIC_LIST_SELECTED : UIC_DETAIL_VALUE);
            if (focus) {
                *cy = y;
                cursor = lw + 2;
            }
        } else if (focus) {
            cursor = dialog_line_draw(w, y, lw + 1, cols - lw - 1, &fd->line, UIC_LIST_SELECTED);
            *cy = y;
        } else {
            draw_cell(w, y, lw + 1, cols - lw - 1, form_text(f, i), UIC_DETAIL_VALUE);
        }
        y++;
        size_t off = 0;
        while (fd->error[off] && y < rows - foot) {
            char part[sizeof fd->error];
            size_t next, n = draw_wrap(fd->error + off, cols - lw - 1, &next);
            memcpy(part, fd->error + off, n);
            part[n] = '\0';
            draw_cell(w, y++, lw + 1, cols - lw - 1, part, UIC_STATUS_ERROR);
            if (next == 0)
                break;
            off += next;
        }
    }
    const char *line = form_line(f);
    enum uic c = f->error[0] && !f->busy[0] ? UIC_STATUS_ERROR : UIC_LIST_LOADING;
    size_t off = 0;
    for (int ly = rows - wrapped_lines(line, cols); ly < rows && line[off]; ly++) {
        char part[sizeof f->error];
        size_t next, n = draw_wrap(line + off, cols, &next);
        if (n >= sizeof part)
            n = sizeof part - 1;
        memcpy(part, line + off, n);
        part[n] = '\0';
        draw_cell(w, ly, 0, cols, part, c);
        if (next == 0)
            break;
        off += next;
    }
    return f->busy[0] ? -1 : cursor;
}

static void form_key(struct app *app, void *st, int key)
{
    struct form *f = st;
    switch (form_feed(f, app->keymap, key)) {
    case FORM_CANCEL: {
        form_cancel_fn cancel = f->cancel;
        void *ud = f->ud;
        dialog_close(app, f);
        if (cancel)
            cancel(app, ud);
        return;
    }
    case FORM_SUBMIT:
        f->submit(app, f, f->ud);
        return;
    case FORM_EDITING:
    default:
        return;
    }
}

static const struct dialog_ops form_ops = {
    .size = form_size, .draw = form_draw, .key = form_key, .free = form_release};

void form_open(struct app *app, struct form *f, form_submit_fn submit, form_cancel_fn cancel,
               void *ud)
{
    f->submit = submit;
    f->cancel = cancel;
    f->ud = ud;
    dialog_push(app, &form_ops, f, f->title, -1);
}

void form_close(struct app *app, struct form *f)
{
    dialog_close(app, f);
}

bool form_is_open(const struct form *f)
{
    return dialog_is_open(f);
}

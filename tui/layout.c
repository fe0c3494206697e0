/* Pane rectangles for a terminal size, and list scrolling arithmetic. */
#include "tui/layout.h"

#include <string.h>

static struct rect rect_make(int y, int x, int h, int w)
{
    struct rect r = {y, x, h, w};
    if (h <= 0 || w <= 0)
        r.h = r.w = 0;
    return r;
}

void layout_compute(int cols, int rows, enum pane focus, struct layout *out)
{
    memset(out, 0, sizeof(*out));
    out->cols = cols;
    out->rows = rows;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        out->too_small = true;
        return;
    }
    if ((unsigned)focus >= PANE_COUNT)
        focus = PANE_LIST;

    out->header = rect_make(0, 0, 1, cols);
    out->status = rect_make(rows - 1, 0, 1, cols);
    out->body = rect_make(1, 0, rows - 2, cols);
    int body_h = rows - 2;

    if (cols < LAYOUT_THREE_PANE_COLS) {
        out->one_pane = true;
        out->pane[focus] = out->body;
        return;
    }

    /* The list takes two fifths, within reason; the rest is detail over
     * timeline, the detail slightly larger. */
    int list_w = cols * 2 / 5;
    if (list_w < 32)
        list_w = 32;
    if (list_w > 64)
        list_w = 64;
    int right_x = list_w + 1;
    int right_w = cols - right_x;
    int detail_h = body_h * 11 / 20;
    if (detail_h < 3)
        detail_h = 3;
    if (body_h - detail_h < 3)
        detail_h = body_h - 3;

    out->pane[PANE_LIST] = rect_make(1, 0, body_h, list_w);
    out->vsep = rect_make(1, list_w, body_h, 1);
    out->pane[PANE_DETAIL] = rect_make(1, right_x, detail_h, right_w);
    out->pane[PANE_TIMELINE] = rect_make(1 + detail_h, right_x, body_h - detail_h, right_w);
}

int layout_pane_rows(const struct layout *l, enum pane p)
{
    if ((unsigned)p >= PANE_COUNT || l->pane[p].h <= 1)
        return 0;
    return l->pane[p].h - 1;
}

long layout_scroll_top(long top, long sel, int h, long total)
{
    if (h <= 0 || total <= 0)
        return 0;
    if (sel < 0)
        sel = 0;
    if (sel >= total)
        sel = total - 1;
    if (sel < top)
        top = sel;
    if (sel >= top + h)
        top = sel - h + 1;
    if (top > total - h)
        top = total - h;
    if (top < 0)
        top = 0;
    return top;
}

void layout_page(long *sel, long *top, long delta, int h, long total)
{
    if (total <= 0) {
        *sel = 0;
        *top = 0;
        return;
    }
    long s = *sel + delta;
    long t = *top + delta;
    if (s < 0)
        s = 0;
    if (s > total - 1)
        s = total - 1;
    if (t > total - h)
        t = total - h;
    if (t < 0)
        t = 0;
    *sel = s;
    *top = layout_scroll_top(t, s, h, total);
}

void layout_list_columns(int w, struct list_columns *out)
{
    memset(out, 0, sizeof(*out));
    if (w < 2)
        return;
    out->x_name = 1;
    if (w < 1 + 8 + 1 + LAYOUT_MARKS_W + 1) {
        out->name = w - 1;
        return;
    }
    /* The last column stays blank: a row written up to the screen's edge
     * leaves the cursor in the terminal's pending wrap, and every frame then
     * ends with a full cursor address instead of a carriage return. */
    out->marks = LAYOUT_MARKS_W;
    out->x_marks = w - LAYOUT_MARKS_W - 1;
    int avail = w - 1 - 1 - LAYOUT_MARKS_W - 1; /* marker, the gaps around the marks */
    if (avail >= 70) {
        out->company = avail / 4;
        out->email = avail * 35 / 100;
        out->name = avail - out->company - out->email - 2;
    } else if (avail >= 40) {
        out->email = avail * 45 / 100;
        out->name = avail - out->email - 1;
    } else {
        out->name = avail;
    }
    if (out->email)
        out->x_email = out->x_name + out->name + 1;
    if (out->company)
        out->x_company = out->x_email + out->email + 1;
}

/* Text rows for the panes: layout by width, and drawing. */
#include "tui/textrows.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "tui/draw.h"
#include "tui/xalloc.h"

void trows_clear(struct trows *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (int s = 0; s < r->v[i].nseg; s++)
            free(r->v[i].seg[s].text);
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

struct trow *trows_add(struct trows *r)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
    }
    struct trow *row = &r->v[r->n++];
    memset(row, 0, sizeof(*row));
    row->fill = UIC_DEFAULT;
    return row;
}

void trows_seg(struct trow *row, int x, const char *text, size_t len, enum uic c)
{
    if (row->nseg >= TROW_SEGS || !text)
        return;
    /* Text composed from several fields may have been cut anywhere: one more
     * pass of the (idempotent) sanitizer keeps every row clean UTF-8. */
    row->seg[row->nseg++] = (struct trow_seg){x, sanitize_str(text, len, len * 3 + 16), c};
}

void trows_wrap(struct trows *r, int x, const char *text, enum uic c)
{
    int cols = r->width - x;
    if (!text || !*text || cols <= 0) {
        trows_add(r);
        return;
    }
    const char *p = text;
    while (*p) {
        size_t next;
        size_t len = draw_wrap(p, cols, &next);
        struct trow *row = trows_add(r);
        trows_seg(row, x, p, len, c);
        p += next;
    }
}

void trows_field(struct trows *r, int x_label, const char *label, enum uic lc, int x_value,
                 const char *value, enum uic vc, const char *mark, enum uic mc)
{
    int mark_w = mark ? sanitize_width(mark) + 1 : 0;
    int cols = r->width - x_value;
    if (cols - mark_w < 8)
        mark_w = 0; /* too narrow to share a row: the mark gets its own */
    const char *p = value ? value : "";
    bool first = true;
    do {
        size_t next;
        int avail = first ? cols - mark_w : cols;
        size_t len = avail > 0 ? draw_wrap(p, avail, &next) : (next = strlen(p), 0);
        struct trow *row = trows_add(r);
        if (first)
            trows_seg(row, x_label, label, strlen(label), lc);
        trows_seg(row, x_value, p, len, vc);
        if (first && mark && mark_w) {
            char tmp[1024];
            size_t n = len < sizeof(tmp) ? len : sizeof(tmp) - 1;
            memcpy(tmp, p, n);
            tmp[n] = '\0';
            trows_seg(row, x_value + sanitize_width(tmp) + (n ? 1 : 0), mark, strlen(mark), mc);
        }
        p += next;
        if (first && mark && !mark_w) {
            struct trow *mrow = trows_add(r);
            trows_seg(mrow, x_value, mark, strlen(mark), mc);
        }
        first = false;
    } while (*p);
}

void trows_draw(const struct trows *r, WINDOW *w, int y0, int h, long first, int cols)
{
    for (int y = 0; y < h; y++) {
        long i = first + y;
        if (i < 0 || (size_t)i >= r->n) {
            draw_fill(w, y0 + y, 0, cols, UIC_DEFAULT);
            continue;
        }
        const struct trow *row = &r->v[i];
        int x = 0;
        /* segments are in column order; the gaps take the row's fill */
        for (int s = 0; s < row->nseg; s++) {
            const struct trow_seg *seg = &row->seg[s];
            if (seg->x >= cols)
                continue;
            if (seg->x > x)
                draw_fill(w, y0 + y, x, seg->x - x, row->fill);
            int start = seg->x > x ? seg->x : x;
            x = start + draw_text(w, y0 + y, start, cols - start, seg->text, seg->c);
        }
        draw_fill(w, y0 + y, x, cols - x, row->fill);
    }
}

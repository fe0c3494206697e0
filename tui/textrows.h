/* Rows of text laid out for a pane of a given width: a few segments per row,
 * each with its column and colour; fields (a label and a wrapped value) and
 * paragraphs wrap here, once, so drawing and scrolling are row arithmetic. */
#ifndef TUI_TEXTROWS_H
#define TUI_TEXTROWS_H

#include <curses.h>
#include <stddef.h>

#include "tui/colors.h"

#define TROW_SEGS 4

struct trow_seg {
    int x;      /* column in the pane */
    char *text; /* owned */
    enum uic c;
};

struct trow {
    struct trow_seg seg[TROW_SEGS];
    int nseg;
    enum uic fill; /* colour of the columns no segment covers */
};

struct trows {
    struct trow *v;
    size_t n, cap;
    int width; /* the width the rows were laid out for */
};

/* Frees every row (the struct itself is the caller's); leaves it empty. */
void trows_clear(struct trows *r);
/* Appends an empty row (fill UIC_DEFAULT) and returns it. */
struct trow *trows_add(struct trows *r);
/* Adds a segment of the first len bytes of text at column x; a row holds at
 * most TROW_SEGS segments (more are dropped). */
void trows_seg(struct trow *row, int x, const char *text, size_t len, enum uic c);
/* Adds text as a paragraph from column x, wrapped at r->width; each '\n'
 * starts a new row. NULL or "" adds one empty row. */
void trows_wrap(struct trows *r, int x, const char *text, enum uic c);
/* Adds a field: label at x_label, value wrapped in [x_value, width), and an
 * optional mark after the value's first row (the value wraps short of it). */
void trows_field(struct trows *r, int x_label, const char *label, enum uic lc, int x_value,
                 const char *value, enum uic vc, const char *mark, enum uic mc);
/* Draws rows [first, first + h) at window rows y0.. of w, width cols, every
 * cell painted; rows past the end are blank. */
void trows_draw(const struct trows *r, WINDOW *w, int y0, int h, long first, int cols);

#endif

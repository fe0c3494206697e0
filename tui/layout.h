/* Layout arithmetic: where the header, the panes and the status line go for a
 * terminal size. Pure functions, no curses, unit-tested. */
#ifndef TUI_LAYOUT_H
#define TUI_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS        40 /* below this, or LAYOUT_MIN_ROWS: "too small" */
#define LAYOUT_MIN_ROWS        10
#define LAYOUT_THREE_PANE_COLS 100 /* from this width on the three panes show together */

struct rect {
    int y, x, h, w; /* h or w 0: not shown */
};

enum pane { PANE_LIST, PANE_DETAIL, PANE_TIMELINE, PANE_COUNT };

struct layout {
    int cols, rows;
    bool too_small;               /* nothing but the notice fits: every rect is empty */
    bool one_pane;                /* only pane[focus] is shown, over the whole body */
    struct rect header;           /* top row: account, user, view, position */
    struct rect status;           /* bottom row: hints, spinner, messages, the prompt */
    struct rect body;             /* everything between */
    struct rect pane[PANE_COUNT]; /* each includes its one-row title */
    struct rect vsep;             /* the column between the list and the right panes */
};

/* Fills out for a cols x rows terminal with pane focus focused. Three panes
 * side by side from LAYOUT_THREE_PANE_COLS columns (list left; detail above
 * timeline right), else one pane (focus) over the whole body. The rects never
 * overlap and together with vsep cover the terminal exactly. */
void layout_compute(int cols, int rows, enum pane focus, struct layout *out);

/* Rows of content a pane shows (its height less the title row); 0 if hidden. */
int layout_pane_rows(const struct layout *l, enum pane p);

/* The first row to show in a window of h rows over total rows so that sel is
 * visible, moving top as little as possible from its current value; the
 * window never runs past the end when total >= h. */
long layout_scroll_top(long top, long sel, int h, long total);

/* Moves a selection by delta rows in a list of total rows, and its window
 * (top, h rows) by the same amount as a pager does; both clamped. */
void layout_page(long *sel, long *top, long delta, int h, long total);

/* Columns of a contact row in a list pane w wide: a one-column selection
 * marker, name, email and company (email and company only when there is room
 * for them), then the marks ("DND sub"). Widths 0 are not shown. */
#define LAYOUT_MARKS_W 7
struct list_columns {
    int x_name, name;
    int x_email, email;
    int x_company, company;
    int x_marks, marks;
};
void layout_list_columns(int w, struct list_columns *out);

#endif

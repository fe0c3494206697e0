/* Drawing helpers: text clipped to its cell by display width, padding, and
 * line wrapping. Every string drawn goes through these, so nothing is wider
 * than its cell. Strings from the server arrive sanitized by the store. */
#ifndef TUI_DRAW_H
#define TUI_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "tui/colors.h"

/* Writes s (NULL: nothing) at (y, x) as element c, clipped to cols display
 * columns without cutting a character. Returns the columns written. */
int draw_text(WINDOW *w, int y, int x, int cols, const char *s, enum uic c);
/* Writes cols spaces of element c from (y, x). */
void draw_fill(WINDOW *w, int y, int x, int cols, enum uic c);
/* draw_text, then spaces up to cols: the whole cell is painted. */
void draw_cell(WINDOW *w, int y, int x, int cols, const char *s, enum uic c);
/* Writes s right-aligned in the cell (y, x, cols), clipped; the columns to
 * its left are left alone. Returns the column where it starts. */
int draw_text_right(WINDOW *w, int y, int x, int cols, const char *s, enum uic c);

/* Copies src (NULL: "") into dst of size bytes, cut at a character boundary
 * when it does not fit; always NUL-terminated. */
void draw_copy(char *dst, size_t size, const char *src);

/* Wraps s for a column of cols: returns the bytes of its first line (breaking
 * after the last space that fits when there is one, else where the width runs
 * out; at least one character when cols > 0) and sets *next to the offset
 * where the rest starts (spaces at the break skipped). A '\n' ends a line. */
size_t draw_wrap(const char *s, int cols, size_t *next);

#endif

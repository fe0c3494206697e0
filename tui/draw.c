/* Width-aware drawing of text cells. */
#include "tui/draw.h"

#include <string.h>

#include "core/sanitize.h"

int draw_text(WINDOW *w, int y, int x, int cols, const char *s, enum uic c)
{
    if (!w || !s || cols <= 0)
        return 0;
    int used = 0;
    size_t n = sanitize_clip(s, cols, &used);
    wattrset(w, colors_attr(c));
    if (wmove(w, y, x) == ERR)
        return 0;
    if (n > 0)
        waddnstr(w, s, (int)n);
    return used;
}

void draw_fill(WINDOW *w, int y, int x, int cols, enum uic c)
{
    static const char spaces[] = "                                                                ";
    if (!w || cols <= 0)
        return;
    wattrset(w, colors_attr(c));
    if (wmove(w, y, x) == ERR)
        return;
    while (cols > 0) {
        int n = cols < (int)sizeof(spaces) - 1 ? cols : (int)sizeof(spaces) - 1;
        waddnstr(w, spaces, n);
        cols -= n;
    }
}

void draw_cell(WINDOW *w, int y, int x, int cols, const char *s, enum uic c)
{
    int used = draw_text(w, y, x, cols, s, c);
    draw_fill(w, y, x + used, cols - used, c);
}

int draw_text_right(WINDOW *w, int y, int x, int cols, const char *s, enum uic c)
{
    if (!s || cols <= 0)
        return x + (cols > 0 ? cols : 0);
    int width = sanitize_width(s);
    int start = width >= cols ? x : x + cols - width;
    draw_text(w, y, start, cols - (start - x), s, c);
    return start;
}

size_t draw_wrap(const char *s, int cols, size_t *next)
{
    size_t nl = strcspn(s, "\n");
    size_t fit = sanitize_clip(s, cols, NULL);
    if (fit >= nl) {
        *next = s[nl] == '\n' ? nl + 1 : nl;
        return nl;
    }
    /* the line is wider than the column: break at the last space that fits */
    size_t brk = fit;
    while (brk > 0 && s[brk] != ' ')
        brk--;
    size_t len = brk > 0 ? brk : fit;
    if (len == 0 && s[0]) {
        /* not even one character fits: take one so the caller advances */
        len = 1;
        while (((unsigned char)s[len] & 0xC0) == 0x80)
            len++;
    }
    size_t rest = len;
    while (s[rest] == ' ')
        rest++;
    *next = rest;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    return len;
}

void draw_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

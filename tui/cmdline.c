/* Line editing and history for the prompts. */
#include "tui/cmdline.h"

#include <stdlib.h>
#include <string.h>

#include "tui/xalloc.h"

static int is_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t prev_char(const struct cmdline *cl, size_t pos)
{
    if (pos == 0)
        return 0;
    pos--;
    while (pos > 0 && is_cont(cl->buf[pos]))
        pos--;
    return pos;
}

static size_t next_char(const struct cmdline *cl, size_t pos)
{
    if (pos >= cl->len)
        return cl->len;
    pos++;
    while (pos < cl->len && is_cont(cl->buf[pos]))
        pos++;
    return pos;
}

static void delete_range(struct cmdline *cl, size_t from, size_t to)
{
    memmove(cl->buf + from, cl->buf + to, cl->len - to + 1);
    cl->len -= to - from;
    cl->cur = from;
}

static void set_text(struct cmdline *cl, const char *s)
{
    size_t n = strlen(s);
    if (n >= CMDLINE_MAX)
        n = CMDLINE_MAX - 1;
    memcpy(cl->buf, s, n);
    cl->buf[n] = '\0';
    cl->len = n;
    cl->cur = n;
}

void cmdline_init(struct cmdline *cl)
{
    memset(cl, 0, sizeof(*cl));
}

void cmdline_free(struct cmdline *cl)
{
    for (size_t i = 0; i < cl->n_history; i++)
        free(cl->history[i]);
    cl->n_history = 0;
}

void cmdline_start(struct cmdline *cl)
{
    cl->buf[0] = '\0';
    cl->len = cl->cur = 0;
    cl->saved[0] = '\0';
    cl->hist_pos = cl->n_history;
}

int cmdline_insert(struct cmdline *cl, const char *utf8, size_t n)
{
    if (n == 0 || cl->len + n >= CMDLINE_MAX)
        return -1;
    memmove(cl->buf + cl->cur + n, cl->buf + cl->cur, cl->len - cl->cur + 1);
    memcpy(cl->buf + cl->cur, utf8, n);
    cl->len += n;
    cl->cur += n;
    return 0;
}

static void history_move(struct cmdline *cl, int dir)
{
    if (dir < 0 && cl->hist_pos == 0)
        return;
    if (dir > 0 && cl->hist_pos >= cl->n_history)
        return;
    if (cl->hist_pos == cl->n_history)
        memcpy(cl->saved, cl->buf, cl->len + 1);
    cl->hist_pos = dir < 0 ? cl->hist_pos - 1 : cl->hist_pos + 1;
    set_text(cl, cl->hist_pos == cl->n_history ? cl->saved : cl->history[cl->hist_pos]);
}

enum cmdline_result cmdline_action(struct cmdline *cl, enum action a)
{
    switch (a) {
    case ACT_ACCEPT:
        return CMDLINE_ACCEPT;
    case ACT_CANCEL:
        return CMDLINE_CANCEL;
    case ACT_HISTORY_PREV:
        history_move(cl, -1);
        return CMDLINE_EDITING;
    case ACT_HISTORY_NEXT:
        history_move(cl, 1);
        return CMDLINE_EDITING;
    case ACT_CURSOR_LEFT:
        cl->cur = prev_char(cl, cl->cur);
        return CMDLINE_EDITING;
    case ACT_CURSOR_RIGHT:
        cl->cur = next_char(cl, cl->cur);
        return CMDLINE_EDITING;
    case ACT_CURSOR_HOME:
        cl->cur = 0;
        return CMDLINE_EDITING;
    case ACT_CURSOR_END:
        cl->cur = cl->len;
        return CMDLINE_EDITING;
    case ACT_DELETE_BACK:
        if (cl->cur > 0)
            delete_range(cl, prev_char(cl, cl->cur), cl->cur);
        return CMDLINE_EDITING;
    case ACT_DELETE_CHAR:
        if (cl->cur < cl->len)
            delete_range(cl, cl->cur, next_char(cl, cl->cur));
        return CMDLINE_EDITING;
    case ACT_DELETE_WORD: {
        size_t p = cl->cur;
        while (p > 0 && cl->buf[p - 1] == ' ')
            p--;
        while (p > 0 && cl->buf[p - 1] != ' ')
            p--;
        delete_range(cl, p, cl->cur);
        return CMDLINE_EDITING;
    }
    case ACT_KILL_LINE:
        delete_range(cl, 0, cl->len);
        return CMDLINE_EDITING;
    default:
        return CMDLINE_UNHANDLED;
    }
}

void cmdline_remember(struct cmdline *cl, const char *line)
{
    if (!line[0])
        return;
    if (cl->n_history && strcmp(cl->history[cl->n_history - 1], line) == 0)
        return;
    if (cl->n_history == CMDLINE_HISTORY) {
        free(cl->history[0]);
        memmove(cl->history, cl->history + 1, (CMDLINE_HISTORY - 1) * sizeof(cl->history[0]));
        cl->n_history--;
    }
    cl->history[cl->n_history++] = xstrndup(line, CMDLINE_MAX - 1);
}

const char *cmdline_text(const struct cmdline *cl)
{
    return cl->buf;
}

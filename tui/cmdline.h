/* The line editor of the command line and the search prompt: UTF-8 text with
 * a cursor, editing actions, and a bounded history browsed with up/down. */
#ifndef TUI_CMDLINE_H
#define TUI_CMDLINE_H

#include <stddef.h>

#include "tui/actions.h"

#define CMDLINE_MAX     256 /* bytes of a line, NUL included */
#define CMDLINE_HISTORY 50  /* lines kept */

struct cmdline {
    char buf[CMDLINE_MAX];
    size_t len, cur;                /* bytes; cur always on a character boundary */
    char *history[CMDLINE_HISTORY]; /* oldest first; owned */
    size_t n_history;
    size_t hist_pos;         /* n_history while editing a new line */
    char saved[CMDLINE_MAX]; /* the new line, kept while browsing history */
};

enum cmdline_result {
    CMDLINE_EDITING,   /* the action changed (or did not change) the line */
    CMDLINE_ACCEPT,    /* Enter: the line is in cmdline_text() */
    CMDLINE_CANCEL,    /* Esc */
    CMDLINE_UNHANDLED, /* not an editing action */
};

/* Sets up an empty editor with no history. */
void cmdline_init(struct cmdline *cl);
/* Frees the history. */
void cmdline_free(struct cmdline *cl);
/* Begins a new, empty line (history position at the end). */
void cmdline_start(struct cmdline *cl);
/* Inserts the UTF-8 bytes of one character at the cursor; -1 when full. */
int cmdline_insert(struct cmdline *cl, const char *utf8, size_t n);
/* Applies an editing action of the prompt context. */
enum cmdline_result cmdline_action(struct cmdline *cl, enum action a);
/* Appends line to the history unless it is empty or repeats the last one. */
void cmdline_remember(struct cmdline *cl, const char *line);
/* The text being edited; valid until the next call on cl. */
const char *cmdline_text(const struct cmdline *cl);

#endif

/* The terminal: curses set-up and restore, on every exit path. atexit and
 * handlers for fatal and terminating signals restore the terminal before the
 * process goes (a crash re-raises its signal after the restore). */
#ifndef TUI_TERM_H
#define TUI_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Starts curses on the controlling terminal: no echo, keys one by one, keypad
 * on, no input wait, ESCDELAY (escdelay_ms < 0: 25 ms unless the ESCDELAY
 * environment variable is set). Installs the restore handlers. On failure
 * returns -1 with a sentence in err and the terminal untouched. */
int term_start(int escdelay_ms, char *err, size_t errlen);
/* Restores the terminal (endwin); safe to call more than once. */
void term_stop(void);
/* True between term_start and term_stop. */
bool term_active(void);
/* The ESCDELAY to use: the environment's when ESCDELAY is set (returns -1:
 * leave it to curses), else configured (when >= 0), else 25. Pure. */
int term_escdelay(const char *env, int configured);

#endif

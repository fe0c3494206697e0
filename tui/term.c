/* Terminal set-up and restore, with signal handlers that restore it. */
#include "tui/term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t active;
static bool atexit_done;
static SCREEN *screen;

static const int restore_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
                                      SIGTERM, SIGINT,  SIGHUP, SIGQUIT};

int term_escdelay(const char *env, int configured)
{
    if (env && env[0])
        return -1;
    return configured >= 0 ? configured : 25;
}

void term_stop(void)
{
    if (!active)
        return;
    active = 0;
    endwin();
}

bool term_active(void)
{
    return active != 0;
}

/* Restores the terminal and dies of the same signal. endwin is not
 * async-signal-safe; on a crash a restored terminal is worth the risk, and
 * the handler is reset first so a second fault ends the process. */
static void on_signal(int sig)
{
    if (active) {
        active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_exit_restore(void)
{
    term_stop();
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
}

int term_start(int escdelay_ms, char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "crmtui needs a terminal on its input and output");
        return -1;
    }
    const char *term = getenv("TERM");
    if (!term || !term[0]) {
        snprintf(err, errlen, "TERM is not set, so the terminal type is unknown");
        return -1;
    }
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        snprintf(err, errlen, "the terminal type \"%.60s\" is not known here (try TERM=xterm)",
                 term);
        return -1;
    }
    set_term(screen);
    active = 1;
    if (!atexit_done) {
        atexit(on_exit_restore);
        atexit_done = true;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER | SA_RESETHAND;
    for (size_t i = 0; i < sizeof(restore_signals) / sizeof(restore_signals[0]); i++)
        sigaction(restore_signals[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int delay = term_escdelay(getenv("ESCDELAY"), escdelay_ms);
    if (delay >= 0)
        set_escdelay(delay);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, FALSE);
    return 0;
}

/* crmtui's batch subcommands (export, forget, unsubscribe): the command line
 * of each, run without curses through core/batch.c. */
#ifndef CRM_TUI_BATCH_CLI_H
#define CRM_TUI_BATCH_CLI_H

#include <stdbool.h>

/* True when arg names a batch subcommand ("export", "forget", "unsubscribe"). */
bool batch_cli_is_command(const char *arg);

/* Runs the subcommand argv[1] with its arguments. Returns the exit status: 0
 * every record done, 1 some failed (or the client could not start), 2 a usage
 * error (one sentence on stderr). */
int batch_cli_main(int argc, char **argv);

#endif

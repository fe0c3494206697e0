/* Lookups over the action, context and command lists of tui/actions.h. */
#include "tui/actions.h"

#include <stdbool.h>
#include <string.h>

struct action_info {
    const char *name;
    const char *keys;
    enum keyctx ctx;
    const char *help;
};

static const struct action_info action_table[ACT_COUNT] = {
    [ACT_NONE] = {"none", "", CTX_GLOBAL, "no action (unbinds a key)"},
#define ACTION_INFO(id, name, keys, ctx, help) [id] = {name, keys, ctx, help},
    ACTION_LIST(ACTION_INFO)
#undef ACTION_INFO
};

struct ctx_info {
    const char *name;
    const char *title;
};

static const struct ctx_info ctx_table[CTX_COUNT] = {
#define CTX_INFO(id, name, title) [id] = {name, title},
    KEYCTX_LIST(CTX_INFO)
#undef CTX_INFO
};

struct command_info {
    const char *name;
    const char *arg;
    const char *help;
};

static const struct command_info command_table[CMD_COUNT] = {[CMD_NONE] = {"", "", ""},
#define COMMAND_INFO(id, name, arg, help) [id] = {name, arg, help},
                                                             COMMAND_LIST(COMMAND_INFO)
#undef COMMAND_INFO
};

const char *actions_name(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_table[a].name : "";
}

const char *actions_help(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_table[a].help : "";
}

const char *actions_default_keys(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_table[a].keys : "";
}

enum keyctx actions_context(enum action a)
{
    return (unsigned)a < ACT_COUNT ? action_table[a].ctx : CTX_GLOBAL;
}

/* Names match with '_' for '-' too: page_down is page-down. */
static bool name_eq(const char *ours, const char *theirs)
{
    for (; *ours && *theirs; ours++, theirs++)
        if (*ours != *theirs && !(*ours == '-' && *theirs == '_'))
            return false;
    return *ours == *theirs;
}

enum action actions_by_name(const char *name, int *ok)
{
    for (int a = 0; a < ACT_COUNT; a++) {
        if (name_eq(action_table[a].name, name)) {
            if (ok)
                *ok = 1;
            return (enum action)a;
        }
    }
    if (ok)
        *ok = 0;
    return ACT_NONE;
}

const char *actions_ctx_name(enum keyctx c)
{
    return (unsigned)c < CTX_COUNT ? ctx_table[c].name : "";
}

const char *actions_ctx_title(enum keyctx c)
{
    return (unsigned)c < CTX_COUNT ? ctx_table[c].title : "";
}

int actions_ctx_by_name(const char *name)
{
    for (int c = 0; c < CTX_COUNT; c++)
        if (strcmp(ctx_table[c].name, name) == 0)
            return c;
    return -1;
}

const char *actions_command_name(enum command c)
{
    return (unsigned)c < CMD_COUNT ? command_table[c].name : "";
}

const char *actions_command_arg(enum command c)
{
    return (unsigned)c < CMD_COUNT ? command_table[c].arg : "";
}

const char *actions_command_help(enum command c)
{
    return (unsigned)c < CMD_COUNT ? command_table[c].help : "";
}

enum command actions_parse_command(const char *line, const char **arg)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '\t')
        n++;
    const char *rest = p + n;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (arg)
        *arg = rest;
    if (n == 0)
        return CMD_NONE;
    if (n == 1 && p[0] == 'q')
        return CMD_QUIT;

    /* An exact name wins; otherwise a prefix that names one command only. */
    enum command found = CMD_NONE;
    int matches = 0;
    for (int c = 1; c < CMD_COUNT; c++) {
        const char *name = command_table[c].name;
        if (strncmp(name, p, n) != 0)
            continue;
        if (name[n] == '\0')
            return (enum command)c;
        found = (enum command)c;
        matches++;
    }
    return matches == 1 ? found : CMD_NONE;
}

/* Every action of crmtui, declared once. The list generates the action enum,
 * the default keymap, the help screen and docs/keys.md (crmtui --keys-markdown). */
#ifndef TUI_ACTIONS_H
#define TUI_ACTIONS_H

#include <stddef.h>

/* Key contexts: where a binding applies. A screen looks its keys up in its own
 * context first, then in "browse" when it scrolls, then in "global". */
#define KEYCTX_LIST(X)                                                                             \
    X(CTX_GLOBAL, "global", "Everywhere")                                                          \
    X(CTX_BROWSE, "browse", "Lists and panes that scroll")                                         \
    X(CTX_CONTACTS, "contacts", "The contacts screen")                                             \
    X(CTX_START, "start", "The connection screen")                                                 \
    X(CTX_PROMPT, "prompt", "The command line and the search prompt")                              \
    X(CTX_ADMIN, "admin", "Settings, Companies, Reports, Account and Audit screens")

enum keyctx {
#define KEYCTX_ENUM(id, name, title) id,
    KEYCTX_LIST(KEYCTX_ENUM)
#undef KEYCTX_ENUM
        CTX_COUNT
};

/* X(ID, "name", "default keys", CONTEXT, "help text"). Keys are separated by
 * spaces; names are those of keymap_parse_key (j, G, <Down>, <C-l>, <PgDn>). */
#define ACTION_LIST(X)                                                                             \
    X(ACT_QUIT, "quit", "q", CTX_GLOBAL, "quit crmtui")                                            \
    X(ACT_HELP, "help", "? <F1>", CTX_GLOBAL, "show this help (again to close it)")                \
    X(ACT_COMMAND, "command", ":", CTX_GLOBAL, "open the command line")                            \
    X(ACT_BACK, "back", "<Esc>", CTX_GLOBAL,                                                       \
      "go back: close help, leave the search, cancel requests")                                    \
    X(ACT_REDRAW, "redraw", "<C-l>", CTX_GLOBAL, "redraw the whole screen")                        \
    X(ACT_MOVE_DOWN, "move-down", "j <Down>", CTX_BROWSE, "move down one row")                     \
    X(ACT_MOVE_UP, "move-up", "k <Up>", CTX_BROWSE, "move up one row")                             \
    X(ACT_PAGE_DOWN, "page-down", "<PgDn> <C-f> <Space>", CTX_BROWSE, "move down one page")        \
    X(ACT_PAGE_UP, "page-up", "<PgUp> <C-b>", CTX_BROWSE, "move up one page")                      \
    X(ACT_FIRST, "first", "g <Home>", CTX_BROWSE, "go to the first row")                           \
    X(ACT_LAST, "last", "G <End>", CTX_BROWSE, "go to the last row")                               \
    X(ACT_NEXT_PANE, "next-pane", "<Tab>", CTX_CONTACTS,                                           \
      "next pane: list, detail, timeline (one pane at a time below 100 columns)")                  \
    X(ACT_PREV_PANE, "prev-pane", "<BackTab>", CTX_CONTACTS, "previous pane")                      \
    X(ACT_OPEN, "open", "<Enter>", CTX_CONTACTS, "open the selected contact in the detail pane")   \
    X(ACT_SEARCH, "search", "/", CTX_CONTACTS, "search contacts on the server (Esc returns)")      \
    X(ACT_VIEW_NEXT, "view-next", "v", CTX_CONTACTS,                                               \
      "next view: All, My, Do Not Disturb, Recycle Bin")                                           \
    X(ACT_VIEW_PREV, "view-prev", "V", CTX_CONTACTS, "previous view")                              \
    X(ACT_SORT_NEXT, "sort-next", "s", CTX_CONTACTS, "sort by name, email, created, updated")      \
    X(ACT_SORT_REVERSE, "sort-reverse", "S", CTX_CONTACTS, "reverse the sort order")               \
    X(ACT_RELOAD, "reload", "R", CTX_CONTACTS, "fetch the list and the open contact again")        \
    X(ACT_QUICK_ACTIONS, "quick-actions", ".", CTX_CONTACTS,                                       \
      "quick actions on the selected contact (a letter runs one)")                                 \
    X(ACT_CALL_NEXT, "call-next", "]", CTX_CONTACTS, "detail: select the next call")               \
    X(ACT_CALL_DELETE_NOTE, "call-delete-note", "N", CTX_CONTACTS,                                 \
      "detail: delete the selected call's note (asks first)")                                      \
    X(ACT_CALL_DELETE_RECORDING, "call-delete-recording", "X", CTX_CONTACTS,                       \
      "detail: delete the selected call's recording (admin; asks first)")                          \
    X(ACT_CHAT_TIMELINE, "chat-timeline", "T", CTX_CONTACTS,                                       \
      "detail: turn the contact's chat events timeline on or off")                                 \
    X(ACT_REVEAL, "reveal", "*", CTX_CONTACTS,                                                     \
      "masked mode: show a field of the contact for 5 s (again: the next field)")                  \
    X(ACT_RETRY, "retry", "r", CTX_START, "try to connect again")                                  \
    X(ACT_ACCEPT, "accept", "<Enter>", CTX_PROMPT, "run the command or the search")                \
    X(ACT_CANCEL, "cancel", "<Esc> <C-g>", CTX_PROMPT, "close the prompt")                         \
    X(ACT_HISTORY_PREV, "history-prev", "<Up> <C-p>", CTX_PROMPT, "previous line from history")    \
    X(ACT_HISTORY_NEXT, "history-next", "<Down> <C-n>", CTX_PROMPT, "next line from history")      \
    X(ACT_CURSOR_LEFT, "cursor-left", "<Left> <C-b>", CTX_PROMPT, "move the cursor left")          \
    X(ACT_CURSOR_RIGHT, "cursor-right", "<Right> <C-f>", CTX_PROMPT, "move the cursor right")      \
    X(ACT_CURSOR_HOME, "cursor-home", "<Home> <C-a>", CTX_PROMPT, "cursor to the start")           \
    X(ACT_CURSOR_END, "cursor-end", "<End> <C-e>", CTX_PROMPT, "cursor to the end")                \
    X(ACT_DELETE_BACK, "delete-back", "<Backspace> <C-h>", CTX_PROMPT,                             \
      "delete the character before the cursor")                                                    \
    X(ACT_DELETE_CHAR, "delete-char", "<Delete> <C-d>", CTX_PROMPT,                                \
      "delete the character under the cursor")                                                     \
    X(ACT_DELETE_WORD, "delete-word", "<C-w>", CTX_PROMPT, "delete the word before the cursor")    \
    X(ACT_KILL_LINE, "kill-line", "<C-u>", CTX_PROMPT, "delete the whole line")                    \
    X(ACT_ADM_TOGGLE, "toggle", "<Space> t", CTX_ADMIN,                                            \
      "settings: switch the selected setting or permission")                                       \
    X(ACT_ADM_NEXT_TAB, "next-tab", "<Tab> <Right> l", CTX_ADMIN, "next tab or report")            \
    X(ACT_ADM_PREV_TAB, "prev-tab", "<BackTab> <Left> h", CTX_ADMIN, "previous tab or report")     \
    X(ACT_ADM_SELECT, "select", "<Enter>", CTX_ADMIN,                                              \
      "open the selected company; phone: next recording mode")                                     \
    X(ACT_ADM_EXPORT, "export-file", "x", CTX_ADMIN,                                               \
      "reports: export to CSV; account: export all data")                                          \
    X(ACT_ADM_DELETE, "delete-company", "d", CTX_ADMIN,                                            \
      "companies: delete (asks about its contacts)")                                               \
    X(ACT_ADM_FORGET, "forget-company", "f", CTX_ADMIN,                                            \
      "companies: forget the company and its contacts for good")                                   \
    X(ACT_ADM_CANCEL_ACCOUNT, "cancel-account", "C", CTX_ADMIN, "account: cancel the account")     \
    X(ACT_ADM_RESTORE, "restore-account", "r", CTX_ADMIN, "account: restore a cancelled account")  \
    X(ACT_ADM_RELOAD, "refresh", "R", CTX_ADMIN, "fetch the screen's data again")                  \
    X(ACT_ADM_CLEAR_ENRICHED, "clear-enriched", "c", CTX_ADMIN,                                    \
      "settings CRM: clear the fields enrichment filled, on every contact (asks first)")           \
    X(ACT_USER_ACTIONS, "user-actions", ".", CTX_ADMIN,                                            \
      "users: actions on the selected user (Delete user)")                                         \
    X(ACT_REQ_NEW, "new-request", "n", CTX_ADMIN, "privacy requests: record a new request")

enum action {
    ACT_NONE = 0,
#define ACTION_ENUM(id, name, keys, ctx, help) id,
    ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
        ACT_COUNT
};

/* The commands of the command line (`:NAME [ARG]`), declared once; they join
 * the help screen and docs/keys.md. X(ID, "name", "argument", "help text"). A
 * command whose screen does not exist yet says so in one sentence. */
#define COMMAND_LIST(X)                                                                            \
    X(CMD_QUIT, "quit", "", "quit crmtui (also :q)")                                               \
    X(CMD_HELP, "help", "", "show the help screen")                                                \
    X(CMD_THEME, "theme", "NAME", "switch the colour theme (no name: list the themes)")            \
    X(CMD_MASK, "mask", "", "masked mode on or off: names, emails, phones, addresses as masks")    \
    X(CMD_CONTACTS, "contacts", "", "the contacts screen")                                         \
    X(CMD_VIEW, "view", "NAME", "show the contact view whose name starts with NAME")               \
    X(CMD_SEARCH, "search", "TEXT", "search contacts on the server")                               \
    X(CMD_SETTINGS, "settings", "", "the Settings screen")                                         \
    X(CMD_USERS, "users", "", "the Users screen")                                                  \
    X(CMD_COMPANIES, "companies", "", "the Companies screen")                                      \
    X(CMD_REPORTS, "reports", "", "the Reports screen")                                            \
    X(CMD_ACCOUNT, "account", "", "the Account screen")                                            \
    X(CMD_REQUESTS, "requests", "", "the Privacy requests screen")                                 \
    X(CMD_AUDIT, "audit", "", "the audit log (admins)")

enum command {
    CMD_NONE = 0,
#define COMMAND_ENUM(id, name, arg, help) id,
    COMMAND_LIST(COMMAND_ENUM)
#undef COMMAND_ENUM
        CMD_COUNT
};

/* Names, help texts and contexts from the lists; static storage. Out-of-range
 * ids give "" (names) or CTX_GLOBAL. */
const char *actions_name(enum action a);
const char *actions_help(enum action a);
const char *actions_default_keys(enum action a);
enum keyctx actions_context(enum action a);
/* The action called name ('_' may stand for '-'), or ACT_NONE ("none" also
 * gives ACT_NONE, ok = 1). */
enum action actions_by_name(const char *name, int *ok);

const char *actions_ctx_name(enum keyctx c);
const char *actions_ctx_title(enum keyctx c);
/* The context called name; returns -1 when there is none. */
int actions_ctx_by_name(const char *name);

const char *actions_command_name(enum command c);
const char *actions_command_arg(enum command c);
const char *actions_command_help(enum command c);
/* Splits a command line "NAME ARG..." into the command and a pointer to its
 * argument (leading blanks skipped; "" when none). "q" means quit. Returns
 * CMD_NONE for an unknown or empty name. */
enum command actions_parse_command(const char *line, const char **arg);

#endif

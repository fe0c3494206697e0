/* The quick-action menu: `.` opens it over the selected row. Its entries are
 * one table (MENU_LIST); an entry is added with one row there and a tui/act-*.c
 * that defines its two functions. Unavailable entries stay listed, dimmed,
 * with the reason. */
#ifndef TUI_MENU_H
#define TUI_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

struct app;

/* The row the menu was opened on, copied (the store may drop the row). */
struct menu_target {
    int64_t id;
    char name[256];
    char email[256]; /* "" when the row has none */
    /* What dialogs show: the name and email, or their masks in masked mode
     * (tui/mask.h). The fields above are for requests and comparisons. */
    char shown_name[256];
    char shown_email[256];
    bool deleted; /* in the Recycle Bin */
    bool do_not_disturb;
    int subscription_status; /* as struct contact_row */
};

/* X(key, "label", available, run): a letter means the same on every screen.
 * available(app, target, &why) returns false with a reason ("no permission",
 * "not offered by this server", ...) to dim the entry; run(app, target)
 * starts the action (the menu is closed by then; target is borrowed for the
 * call only). */
#define MENU_LIST(X)                                                                               \
    X('u', "Unsubscribe", act_unsubscribe_available, act_unsubscribe_run)                          \
    X('e', "Edit", act_edit_available, act_edit_run)                                               \
    X('x', "Export", act_export_available, act_export_run)                                         \
    X('f', "Forget", act_forget_available, act_forget_run)                                         \
    X('d', "Delete", act_delete_available, act_delete_run)                                         \
    X('r', "Restore", act_restore_available, act_restore_run)                                      \
    X('m', "Send email", act_email_available, act_email_run)                                       \
    X('c', "Request consent", act_consent_available, act_consent_run)                              \
    X('p', "Clear enriched fields", act_enrichment_available, act_enrichment_run)

#define MENU_DECLARE(key, label, available, run)                                                   \
    bool available(const struct app *app, const struct menu_target *t, const char **why);          \
    void run(struct app *app, const struct menu_target *t);
MENU_LIST(MENU_DECLARE)
#undef MENU_DECLARE

/* The reasons entries give, declared once. */
#define MENU_WHY_PERMISSION "no permission"
#define MENU_WHY_SERVER     "not offered by this server"
#define MENU_WHY_RECYCLED   "in the Recycle Bin"
#define MENU_WHY_NOT_BIN    "Recycle Bin only"

/* Opens the menu for row, as a box just below screen row anchor_y (-1:
 * centred). Nothing happens for a NULL row. */
void menu_open(struct app *app, const struct contact_row *row, int anchor_y);

/* False with *why = MENU_WHY_SERVER when the server does not offer cap. */
bool menu_need_capability(const struct app *app, enum model_capability cap, const char **why);

/* The entries, for the help screen and the tests: count, key, label. */
size_t menu_count(void);
int menu_key_at(size_t i);
const char *menu_label_at(size_t i);

#endif

/* Semantic colour ids, declared once: drawing code names what a cell is
 * (UIC_LIST_SELECTED), a theme says how it looks. The same list names the
 * ELEMENTs of the theme files (themes/NAME.theme). */
#ifndef TUI_COLORS_H
#define TUI_COLORS_H

#include <curses.h>
#include <stdbool.h>

/* X(ID, "element", monochrome attributes, "what it colours"). The attributes
 * are what the element looks like without colour (mono theme, NO_COLOR, a
 * terminal without colours); a theme adds colours and may change them. */
#define UIC_LIST(X)                                                                                \
    X(UIC_DEFAULT, "default", A_NORMAL, "everything not named below")                              \
    X(UIC_HEADER, "header", A_REVERSE, "the top line: account, user, view, position")              \
    X(UIC_STATUS, "status", A_REVERSE, "the bottom line: key hints and messages")                  \
    X(UIC_STATUS_BUSY, "status-busy", A_REVERSE | A_BOLD, "the spinner and what is loading")       \
    X(UIC_STATUS_ERROR, "status-error", A_REVERSE | A_BOLD, "the last error on the status line")   \
    X(UIC_PROMPT, "prompt", A_NORMAL, "the command line and search prompt")                        \
    X(UIC_PANE_TITLE, "pane-title", A_UNDERLINE, "a pane's title row")                             \
    X(UIC_PANE_TITLE_FOCUS, "pane-title-focus", A_REVERSE, "the focused pane's title row")         \
    X(UIC_SEPARATOR, "separator", A_NORMAL, "the line between the panes")                          \
    X(UIC_LIST_ROW, "list-row", A_NORMAL, "a contact row")                                         \
    X(UIC_LIST_SELECTED, "list-selected", A_REVERSE, "the selected row")                           \
    X(UIC_LIST_LOADING, "list-loading", A_DIM, "a row whose page is loading")                      \
    X(UIC_LIST_DND, "list-dnd", A_BOLD, "the DND mark")                                            \
    X(UIC_LIST_SUBSCRIBED, "list-subscribed", A_NORMAL, "the subscribed mark")                     \
    X(UIC_LIST_UNSUBSCRIBED, "list-unsubscribed", A_BOLD, "the unsubscribed mark")                 \
    X(UIC_LIST_DELETED, "list-deleted", A_DIM, "a contact in the Recycle Bin")                     \
    X(UIC_DETAIL_GROUP, "detail-group", A_BOLD | A_UNDERLINE, "a group heading in the detail")     \
    X(UIC_DETAIL_LABEL, "detail-label", A_NORMAL, "a field name")                                  \
    X(UIC_DETAIL_VALUE, "detail-value", A_NORMAL, "a field value")                                 \
    X(UIC_DETAIL_ENRICHED, "detail-enriched", A_DIM, "the mark of a field filled by enrichment")   \
    X(UIC_DETAIL_EMPTY, "detail-empty", A_DIM, "an empty field or a loading pane")                 \
    X(UIC_TIMELINE_TIME, "timeline-time", A_NORMAL, "the time of a timeline entry")                \
    X(UIC_TIMELINE_ACTION, "timeline-action", A_BOLD, "what happened")                             \
    X(UIC_TIMELINE_DETAIL, "timeline-detail", A_NORMAL, "how and by whom")                         \
    X(UIC_CONSENT_GRANTED, "consent-granted", A_BOLD, "consent given, subscribed")                 \
    X(UIC_CONSENT_WITHDRAWN, "consent-withdrawn", A_BOLD | A_UNDERLINE,                            \
      "consent withdrawn, unsubscribed, blocked")                                                  \
    X(UIC_HELP_HEADING, "help-heading", A_BOLD | A_UNDERLINE, "a heading on the help screen")      \
    X(UIC_HELP_KEY, "help-key", A_BOLD, "a key on the help screen")                                \
    X(UIC_HELP_TEXT, "help-text", A_NORMAL, "a description on the help screen")                    \
    X(UIC_NOTICE, "notice", A_BOLD, "the sentence of the connection screen")

enum uic {
#define UIC_ENUM(id, name, mono, help) id,
    UIC_LIST(UIC_ENUM)
#undef UIC_ENUM
        UIC_COUNT
};

struct theme;

/* The element name of id ("list-selected"), its description, its monochrome
 * attributes; static storage. */
const char *colors_name(enum uic id);
const char *colors_help(enum uic id);
attr_t colors_mono(enum uic id);
/* The id of an element name; -1 when there is none. */
int colors_by_name(const char *name);

/* Sets up colours after initscr (start_color, default colours); returns the
 * number of colours usable (0: monochrome). */
int colors_init(void);
/* Makes t the look of every element, downgraded to the terminal's colours
 * (t NULL or a terminal without colour: the monochrome attributes). */
void colors_apply(const struct theme *t);
/* The attributes (colour pair included) to draw element id with. */
attr_t colors_attr(enum uic id);

#endif

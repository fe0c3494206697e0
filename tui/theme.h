/* Theme files: parsing `color ELEMENT FG BG [ATTR...]` lines, finding a theme
 * by name on the search path, and fitting colours to what the terminal has. */
#ifndef TUI_THEME_H
#define TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/colors.h"

#define THEME_NAME_MAX 64
#define THEME_FILE_MAX (64 * 1024)
#define THEME_DIRS     4

struct theme_color {
    short fg, bg; /* -1: the terminal's default; else 0..255 */
    attr_t attrs;
    bool set; /* named in the file; unset elements keep their monochrome look */
};

struct theme {
    char name[THEME_NAME_MAX];
    struct theme_color c[UIC_COUNT];
};

/* Parses a theme from text. Colours: default, black, red, green, yellow, blue,
 * magenta, cyan, white, bright-black .. bright-white (also grey), colorN or N
 * for 0..255. Attributes: normal, bold, dim, underline, reverse, standout,
 * blink, italic. '#' starts a comment. On error returns -1 with "NAME:LINE:
 * what is wrong" in err. */
int theme_parse(const char *text, size_t len, const char *name, struct theme *out, char *err,
                size_t errlen);
/* Parses one colour; returns 0 and sets *out, or -1. */
int theme_parse_color(const char *s, short *out);

/* The colour to use for color (0..255) on a terminal with ncolors colours:
 * nearest of the 16 when fewer than 256, the dark one of the 8 when fewer
 * than 16 (*bright set, so a foreground can be drawn bold). -1 stays -1. */
int theme_downgrade(int color, int ncolors, bool *bright);

/* A theme name is letters, digits, '-' and '_' (no paths). */
bool theme_name_valid(const char *name);
/* The directories searched, in order: ./themes, $XDG_DATA_HOME/crmtui/themes
 * (default ~/.local/share), PREFIX/share/crmtui/themes, and the themes folder
 * beside the folder of the running program (a build not installed: themes/
 * next to build/). Returns how many were written into dirs. */
size_t theme_dirs(char dirs[THEME_DIRS][1024]);
/* Finds NAME.theme on the search path and parses it. On failure returns -1
 * with a sentence in err (not found: names the directories searched). */
int theme_load(const char *name, struct theme *out, char *err, size_t errlen);
/* Writes the names of the themes found, sorted, without duplicates, separated
 * by spaces into buf. Returns how many. */
size_t theme_list(char *buf, size_t len);

#endif

/* The semantic colour table and its application to the terminal. */
#include "tui/colors.h"

#include <string.h>

#include "tui/theme.h"

struct uic_info {
    const char *name;
    attr_t mono;
    const char *help;
};

static const struct uic_info uic_table[UIC_COUNT] = {
#define UIC_INFO(id, name, mono, help) [id] = {name, mono, help},
    UIC_LIST(UIC_INFO)
#undef UIC_INFO
};

/* What colors_attr hands out; monochrome until colors_apply. */
static attr_t uic_attrs[UIC_COUNT];
static int ncolors;
static bool default_colors;

const char *colors_name(enum uic id)
{
    return (unsigned)id < UIC_COUNT ? uic_table[id].name : "";
}

const char *colors_help(enum uic id)
{
    return (unsigned)id < UIC_COUNT ? uic_table[id].help : "";
}

attr_t colors_mono(enum uic id)
{
    return (unsigned)id < UIC_COUNT ? uic_table[id].mono : A_NORMAL;
}

int colors_by_name(const char *name)
{
    for (int i = 0; i < UIC_COUNT; i++)
        if (strcmp(uic_table[i].name, name) == 0)
            return i;
    return -1;
}

int colors_init(void)
{
    ncolors = 0;
    if (has_colors() && start_color() == OK && COLORS >= 8 && COLOR_PAIRS > UIC_COUNT) {
        ncolors = COLORS;
        default_colors = use_default_colors() == OK;
    }
    for (int i = 0; i < UIC_COUNT; i++)
        uic_attrs[i] = uic_table[i].mono;
    return ncolors;
}

void colors_apply(const struct theme *t)
{
    for (int i = 0; i < UIC_COUNT; i++) {
        /* Without colours the monochrome look is used whatever the theme:
         * it is the one that keeps every element apart by attributes alone. */
        if (!t || ncolors == 0) {
            uic_attrs[i] = uic_table[i].mono;
            continue;
        }
        /* An element the theme leaves out takes the base element's colours
         * and its own monochrome attributes. */
        struct theme_color c = t->c[i];
        if (!c.set) {
            c.fg = t->c[UIC_DEFAULT].fg;
            c.bg = t->c[UIC_DEFAULT].bg;
            c.attrs = uic_table[i].mono;
        }
        bool bright_fg, bright_bg;
        int fg = theme_downgrade(c.fg, ncolors, &bright_fg);
        int bg = theme_downgrade(c.bg, ncolors, &bright_bg);
        if (!default_colors) {
            if (fg < 0)
                fg = COLOR_WHITE;
            if (bg < 0)
                bg = COLOR_BLACK;
        }
        init_pair((short)(i + 1), (short)fg, (short)bg);
        uic_attrs[i] = c.attrs | COLOR_PAIR(i + 1);
        if (bright_fg)
            uic_attrs[i] |= A_BOLD;
    }
}

attr_t colors_attr(enum uic id)
{
    return (unsigned)id < UIC_COUNT ? uic_attrs[id] : A_NORMAL;
}

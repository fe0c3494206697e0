/* Theme files: parser, search path, colour downgrading. */
#include "tui/theme.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/xalloc.h"

#ifndef CRMTUI_PREFIX
#define CRMTUI_PREFIX "/usr/local"
#endif

static const char *const color_names[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright-black",   "bright-red",
    "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
};

static const struct {
    const char *name;
    attr_t attr;
} attr_names[] = {
    {"normal", A_NORMAL},       {"bold", A_BOLD},       {"dim", A_DIM},
    {"underline", A_UNDERLINE}, {"reverse", A_REVERSE}, {"standout", A_STANDOUT},
    {"blink", A_BLINK},         {"italic", A_ITALIC},
};

int theme_parse_color(const char *s, short *out)
{
    if (strcasecmp(s, "default") == 0) {
        *out = -1;
        return 0;
    }
    if (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0) {
        *out = 8;
        return 0;
    }
    for (int i = 0; i < 16; i++) {
        if (strcasecmp(s, color_names[i]) == 0) {
            *out = (short)i;
            return 0;
        }
        /* "brightred" as well as "bright-red" */
        if (i >= 8 && strncasecmp(s, "bright", 6) == 0 &&
            strcasecmp(s + 6, color_names[i] + 7) == 0) {
            *out = (short)i;
            return 0;
        }
    }
    const char *num = s;
    if (strncasecmp(s, "color", 5) == 0)
        num = s + 5;
    if (*num < '0' || *num > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(num, &end, 10);
    if (errno || *end || v < 0 || v > 255)
        return -1;
    *out = (short)v;
    return 0;
}

static int parse_attr(const char *s, attr_t *out)
{
    for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
        if (strcasecmp(s, attr_names[i].name) == 0) {
            *out = attr_names[i].attr;
            return 0;
        }
    }
    return -1;
}

/* Splits line (modified) into at most max blank-separated words. */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

int theme_parse(const char *text, size_t len, const char *name, struct theme *out, char *err,
                size_t errlen)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
    for (int i = 0; i < UIC_COUNT; i++) {
        out->c[i].fg = -1;
        out->c[i].bg = -1;
        out->c[i].attrs = colors_mono((enum uic)i);
    }

    size_t pos = 0;
    int lineno = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        char line[512];
        size_t n = end - pos;
        if (n >= sizeof(line)) {
            snprintf(err, errlen, "%s:%d: the line is too long", out->name, lineno);
            return -1;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        if (memchr(line, '\0', n)) {
            snprintf(err, errlen, "%s:%d: the line holds a NUL byte", out->name, lineno);
            return -1;
        }
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';

        char *w[12];
        int nw = split_words(line, w, 11);
        if (nw == 0)
            continue;
        if (strcmp(w[0], "color") != 0) {
            snprintf(err, errlen, "%s:%d: expected \"color ELEMENT FG BG [ATTR...]\"", out->name,
                     lineno);
            return -1;
        }
        if (nw < 4 || nw > 11) {
            snprintf(err, errlen, "%s:%d: expected \"color ELEMENT FG BG [ATTR...]\"", out->name,
                     lineno);
            return -1;
        }
        int id = colors_by_name(w[1]);
        if (id < 0) {
            snprintf(err, errlen, "%s:%d: unknown element \"%s\"", out->name, lineno, w[1]);
            return -1;
        }
        struct theme_color c = {-1, -1, A_NORMAL, true};
        if (theme_parse_color(w[2], &c.fg) != 0 || theme_parse_color(w[3], &c.bg) != 0) {
            snprintf(err, errlen, "%s:%d: unknown colour \"%s\"", out->name, lineno,
                     theme_parse_color(w[2], &c.fg) != 0 ? w[2] : w[3]);
            return -1;
        }
        for (int i = 4; i < nw; i++) {
            attr_t a;
            if (parse_attr(w[i], &a) != 0) {
                snprintf(err, errlen, "%s:%d: unknown attribute \"%s\"", out->name, lineno, w[i]);
                return -1;
            }
            c.attrs |= a;
        }
        out->c[id] = c;
    }
    return 0;
}

/* The xterm palette as RGB. */
static void palette_rgb(int color, int rgb[3])
{
    static const int base16[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (color < 16) {
        memcpy(rgb, base16[color], sizeof(base16[0]));
    } else if (color < 232) {
        int c = color - 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[(c / 6) % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (color - 232);
    }
}

int theme_downgrade(int color, int ncolors, bool *bright)
{
    if (bright)
        *bright = false;
    if (color < 0 || ncolors >= 256)
        return color;
    if (color >= 16) {
        int rgb[3], best = 0;
        long best_d = -1;
        palette_rgb(color, rgb);
        for (int i = 0; i < 16; i++) {
            int p[3];
            palette_rgb(i, p);
            long d = 0;
            for (int k = 0; k < 3; k++)
                d += (long)(rgb[k] - p[k]) * (rgb[k] - p[k]);
            if (best_d < 0 || d < best_d) {
                best_d = d;
                best = i;
            }
        }
        color = best;
    }
    if (ncolors < 16 && color >= 8) {
        if (bright)
            *bright = true;
        color -= 8;
    }
    if (color >= ncolors && ncolors > 0)
        color = color % ncolors;
    return color;
}

bool theme_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= THEME_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

size_t theme_dirs(char dirs[THEME_DIRS][1024])
{
    size_t n = 0;
    snprintf(dirs[n++], 1024, "themes");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(dirs[n++], 1024, "%s/crmtui/themes", xdg);
    else if (home && home[0] == '/')
        snprintf(dirs[n++], 1024, "%s/.local/share/crmtui/themes", home);
    snprintf(dirs[n++], 1024, "%s/share/crmtui/themes", CRMTUI_PREFIX);
    char exe[900];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? (exe[len] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        snprintf(dirs[n++], 1024, "%s/../themes", exe);
    }
    return n;
}

/* Reads a regular file of at most THEME_FILE_MAX bytes; 0 on success. */
static int read_small_file(const char *path, char **out, size_t *outlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    int rc = -1;
    char *buf = NULL;
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > THEME_FILE_MAX)
        goto out;
    buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        goto out;
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *out = buf;
    *outlen = got;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

int theme_load(const char *name, struct theme *out, char *err, size_t errlen)
{
    if (!theme_name_valid(name)) {
        snprintf(err, errlen, "\"%s\" is not a theme name (letters, digits, - and _)", name);
        return -1;
    }
    char dirs[THEME_DIRS][1024];
    size_t nd = theme_dirs(dirs);
    for (size_t i = 0; i < nd; i++) {
        char path[1200];
        char *text;
        size_t len;
        snprintf(path, sizeof(path), "%s/%s.theme", dirs[i], name);
        if (read_small_file(path, &text, &len) != 0)
            continue;
        char why[256];
        int rc = theme_parse(text, len, name, out, why, sizeof(why));
        free(text);
        if (rc != 0) {
            snprintf(err, errlen, "theme %s", why);
            return -1;
        }
        return 0;
    }
    int used = snprintf(err, errlen, "no theme \"%s\" (looked in", name);
    for (size_t i = 0; i < nd && used >= 0 && (size_t)used < errlen; i++)
        used += snprintf(err + used, errlen - (size_t)used, "%s %s",
                         i == 0        ? ""
                         : i + 1 == nd ? " and"
                                       : ",",
                         dirs[i]);
    if (used >= 0 && (size_t)used < errlen)
        snprintf(err + used, errlen - (size_t)used, ")");
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t theme_list(char *buf, size_t len)
{
    char dirs[THEME_DIRS][1024];
    size_t nd = theme_dirs(dirs);
    char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) && n < 128) {
            size_t l = strlen(e->d_name);
            if (l <= 6 || strcmp(e->d_name + l - 6, ".theme") != 0)
                continue;
            char nm[THEME_NAME_MAX];
            if (l - 6 >= sizeof(nm))
                continue;
            memcpy(nm, e->d_name, l - 6);
            nm[l - 6] = '\0';
            if (!theme_name_valid(nm))
                continue;
            bool dup = false;
            for (size_t k = 0; k < n; k++)
                dup = dup || strcmp(names[k], nm) == 0;
            if (!dup)
                names[n++] = xstrdup(nm);
        }
        closedir(d);
    }
    size_t count = 0;
    qsort(names, n, sizeof(names[0]), cmp_str);
    size_t off = 0;
    if (len)
        buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        if (len > off) {
            int w = snprintf(buf + off, len - off, "%s%s", off ? " " : "", names[k]);
            if (w > 0 && (size_t)w < len - off) {
                off += (size_t)w;
                count++;
            } else {
                buf[off] = '\0';
            }
        }
        free(names[k]);
    }
    return count;
}

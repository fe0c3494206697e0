/* Key bindings per context, key names, and the generated key reference. */
#include "tui/keymap.h"

#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/xalloc.h"

struct binding {
    int key;
    enum action action;
};

struct keytable {
    struct binding *v;
    size_t n, cap;
};

struct keymap {
    struct keytable ctx[CTX_COUNT];
};

/* Named keys; the first name of a key is the one printed. */
static const struct {
    const char *name;
    int key;
} key_names[] = {
    {"Enter", KEYMAP_ENTER},
    {"Return", KEYMAP_ENTER},
    {"Tab", KEYMAP_TAB},
    {"Esc", KEYMAP_ESC},
    {"Escape", KEYMAP_ESC},
    {"Space", ' '},
    {"Backspace", KEYMAP_FN(KEY_BACKSPACE)},
    {"BS", KEYMAP_FN(KEY_BACKSPACE)},
    {"Delete", KEYMAP_FN(KEY_DC)},
    {"Del", KEYMAP_FN(KEY_DC)},
    {"Insert", KEYMAP_FN(KEY_IC)},
    {"Up", KEYMAP_FN(KEY_UP)},
    {"Down", KEYMAP_FN(KEY_DOWN)},
    {"Left", KEYMAP_FN(KEY_LEFT)},
    {"Right", KEYMAP_FN(KEY_RIGHT)},
    {"PgUp", KEYMAP_FN(KEY_PPAGE)},
    {"PageUp", KEYMAP_FN(KEY_PPAGE)},
    {"PgDn", KEYMAP_FN(KEY_NPAGE)},
    {"PageDown", KEYMAP_FN(KEY_NPAGE)},
    {"Home", KEYMAP_FN(KEY_HOME)},
    {"End", KEYMAP_FN(KEY_END)},
    {"BackTab", KEYMAP_FN(KEY_BTAB)},
    {"S-Tab", KEYMAP_FN(KEY_BTAB)},
};

static void table_set(struct keytable *t, int key, enum action action)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].key == key) {
            t->v[i].action = action;
            return;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
    }
    t->v[t->n++] = (struct binding){key, action};
}

void keymap_set(struct keymap *km, enum keyctx ctx, int key, enum action action)
{
    if ((unsigned)ctx >= CTX_COUNT)
        return;
    table_set(&km->ctx[ctx], key, action);
}

struct keymap *keymap_new(void)
{
    struct keymap *km = xcalloc(1, sizeof(*km));
    for (int a = 1; a < ACT_COUNT; a++) {
        const char *p = actions_default_keys((enum action)a);
        char name[32];
        while (*p) {
            size_t n = strcspn(p, " ");
            if (n > 0 && n < sizeof(name)) {
                memcpy(name, p, n);
                name[n] = '\0';
                int key;
                /* The list is ours: a name that does not parse is a bug the
                 * keymap unit test catches. */
                if (keymap_parse_key(name, &key) == 0)
                    keymap_set(km, actions_context((enum action)a), key, (enum action)a);
            }
            p += n;
            while (*p == ' ')
                p++;
        }
    }
    return km;
}

void keymap_free(struct keymap **pp)
{
    if (!pp || !*pp)
        return;
    for (int c = 0; c < CTX_COUNT; c++)
        free((*pp)->ctx[c].v);
    free(*pp);
    *pp = NULL;
}

int keymap_from_curses(int rc, unsigned wch)
{
    if (rc == KEY_CODE_YES) {
        if (wch == KEY_ENTER)
            return KEYMAP_ENTER;
        return KEYMAP_FN((int)wch);
    }
    if (wch == '\r')
        return KEYMAP_ENTER;
    if (wch == 127)
        return KEYMAP_FN(KEY_BACKSPACE);
    return (int)wch;
}

/* Decodes one UTF-8 character that must make up the whole of s. */
static int utf8_single(const char *s, int *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    int need;
    uint32_t v;
    if (len == 0)
        return -1;
    if (u[0] < 0x80) {
        need = 0;
        v = u[0];
    } else if ((u[0] & 0xE0) == 0xC0) {
        need = 1;
        v = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        need = 2;
        v = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        need = 3;
        v = u[0] & 0x07;
    } else {
        return -1;
    }
    if (len != (size_t)need + 1)
        return -1;
    for (int i = 1; i <= need; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (u[i] & 0x3F);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (v < min[need] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *cp = (int)v;
    return 0;
}

static size_t utf8_put(int cp, char *out)
{
    uint32_t v = (uint32_t)cp;
    if (v < 0x80) {
        out[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (char)(0xC0 | (v >> 6));
        out[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (char)(0xE0 | (v >> 12));
        out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        out[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (v >> 18));
    out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    out[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

size_t keymap_utf8(int key, char out[4])
{
    if (key < 0 || key > 0x10FFFF || (key >= 0xD800 && key <= 0xDFFF))
        return 0;
    return utf8_put(key, out);
}

static int ctrl_key(char c, int *key)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (c >= '@' && c <= '_') {
        *key = c - '@';
        return 0;
    }
    return -1;
}

int keymap_parse_key(const char *name, int *key)
{
    char inner[32];
    size_t len = strlen(name);

    if (len == 0 || len >= sizeof(inner))
        return -1;
    /* A single character stands for itself, "<" included. */
    if (utf8_single(name, key) == 0) {
        if (*key < 0x20 || *key == 127)
            return -1;
        return 0;
    }
    if (name[0] == '<' && name[len - 1] == '>' && len > 2) {
        memcpy(inner, name + 1, len - 2);
        inner[len - 2] = '\0';
    } else {
        memcpy(inner, name, len + 1);
    }
    if (name[0] == '^' && len == 2)
        return ctrl_key(name[1], key);
    if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' && inner[2] && !inner[3])
        return ctrl_key(inner[2], key);
    for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
        if (strcasecmp(inner, key_names[i].name) == 0) {
            *key = key_names[i].key;
            return 0;
        }
    }
    if ((inner[0] == 'F' || inner[0] == 'f') && inner[1] >= '1' && inner[1] <= '9') {
        char *end;
        long n = strtol(inner + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12) {
            *key = KEYMAP_FN(KEY_F((int)n));
            return 0;
        }
    }
    /* A single character in brackets: <j>. */
    if (name[0] == '<' && utf8_single(inner, key) == 0 && *key >= 0x20 && *key != 127)
        return 0;
    return -1;
}

void keymap_key_name(int key, char *buf, size_t len)
{
    if (len == 0)
        return;
    for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
        if (key_names[i].key == key) {
            snprintf(buf, len, "<%s>", key_names[i].name);
            return;
        }
    }
    if (key >= KEYMAP_FN(KEY_F(1)) && key <= KEYMAP_FN(KEY_F(12))) {
        snprintf(buf, len, "<F%d>", key - KEYMAP_FN(KEY_F0));
        return;
    }
    if (key >= KEYMAP_FN_BASE) {
        snprintf(buf, len, "<key-%d>", key - KEYMAP_FN_BASE);
        return;
    }
    if (key >= 0 && key < 0x20) {
        snprintf(buf, len, "<C-%c>", (char)(key == 0 ? '@' : key + 'a' - 1));
        if (key > 26)
            snprintf(buf, len, "<C-%c>", (char)(key + '@'));
        return;
    }
    if (key > 0x20 && key <= 0x10FFFF && key != 127) {
        char u[5];
        size_t n = utf8_put(key, u);
        u[n] = '\0';
        snprintf(buf, len, "%s", u);
        return;
    }
    snprintf(buf, len, "<key-%d>", key);
}

int keymap_bind(struct keymap *km, const char *ctx, const char *key, const char *action, char *err,
                size_t errlen)
{
    int c = actions_ctx_by_name(ctx);
    if (c < 0) {
        char names[160] = "";
        size_t off = 0;
        for (int i = 0; i < CTX_COUNT && off < sizeof(names); i++)
            off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s", i ? ", " : "",
                                    actions_ctx_name((enum keyctx)i));
        snprintf(err, errlen, "unknown key context \"%s\" (contexts: %s)", ctx, names);
        return -1;
    }
    int k;
    if (keymap_parse_key(key, &k) != 0) {
        snprintf(err, errlen,
                 "unknown key \"%s\" (a character, <Enter>, <Down>, <PgDn>, <C-x>, <F1>...)", key);
        return -1;
    }
    int ok;
    enum action a = actions_by_name(action, &ok);
    if (!ok) {
        snprintf(err, errlen, "unknown action \"%s\" (crmtui --keys-markdown lists them)", action);
        return -1;
    }
    keymap_set(km, (enum keyctx)c, k, a);
    return 0;
}

int keymap_apply_config(struct keymap *km, const struct config_binding *b, size_t n, char *err,
                        size_t errlen)
{
    char why[200];
    for (size_t i = 0; i < n; i++) {
        if (!b[i].context || !b[i].key || !b[i].action) {
            snprintf(err, errlen, "config line %d: bind needs a context, a key and an action",
                     b[i].line);
            return -1;
        }
        if (keymap_bind(km, b[i].context, b[i].key, b[i].action, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "config line %d: %s", b[i].line, why);
            return -1;
        }
    }
    return 0;
}

bool keymap_lookup(const struct keymap *km, enum keyctx ctx, int key, enum action *out)
{
    if ((unsigned)ctx >= CTX_COUNT)
        return false;
    const struct keytable *t = &km->ctx[ctx];
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].key == key) {
            *out = t->v[i].action;
            return true;
        }
    }
    return false;
}

enum action keymap_resolve(const struct keymap *km, const enum keyctx *ctxs, size_t n, int key)
{
    enum action a;
    for (size_t i = 0; i < n; i++)
        if (keymap_lookup(km, ctxs[i], key, &a))
            return a;
    return ACT_NONE;
}

void keymap_keys_for(const struct keymap *km, enum keyctx ctx, enum action action, char *buf,
                     size_t len)
{
    size_t off = 0;
    if (len == 0)
        return;
    buf[0] = '\0';
    if ((unsigned)ctx >= CTX_COUNT)
        return;
    const struct keytable *t = &km->ctx[ctx];
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].action != action)
            continue;
        char name[32];
        keymap_key_name(t->v[i].key, name, sizeof(name));
        int w = snprintf(buf + off, len - off, "%s%s", off ? " " : "", name);
        if (w < 0 || (size_t)w >= len - off) {
            buf[off] = '\0';
            return;
        }
        off += (size_t)w;
    }
}

/* Markdown table cells: a key such as | or ` must not end the cell or code span. */
static void md_keys(FILE *out, const char *keys)
{
    const char *p = keys;
    bool first = true;
    while (*p) {
        size_t n = strcspn(p, " ");
        fputs(first ? "" : " ", out);
        if (n == 1 && p[0] == '|')
            fputs("`\\|`", out);
        else if (n == 1 && p[0] == '`')
            fputs("`` ` ``", out);
        else
            fprintf(out, "`%.*s`", (int)n, p);
        first = false;
        p += n;
        while (*p == ' ')
            p++;
    }
}

void keymap_write_markdown(const struct keymap *km, FILE *out)
{
    fputs("# crmtui keys\n\n"
          "Generated by `crmtui --keys-markdown` from tui/actions.h (`make docs`); do not\n"
          "edit by hand.\n\n"
          "A key is looked up in the screen's own context first, then in `browse` on\n"
          "screens that scroll, then in `global`. Change a key in the config file\n"
          "(`$XDG_CONFIG_HOME/crmtui/config`) with a line `bind CONTEXT KEY ACTION`, for\n"
          "example `bind browse J page-down`; the action `none` unbinds a key. Keys are\n"
          "written as a character (`j`, `G`, `?`), a named key (`<Enter>`, `<Esc>`,\n"
          "`<Tab>`, `<Down>`, `<PgDn>`, `<Home>`, `<F1>`) or a control key (`<C-l>`).\n",
          out);
    for (int c = 0; c < CTX_COUNT; c++) {
        fprintf(out, "\n## %s (`%s`)\n\n", actions_ctx_title((enum keyctx)c),
                actions_ctx_name((enum keyctx)c));
        fputs("| keys | action | what it does |\n| --- | --- | --- |\n", out);
        for (int a = 1; a < ACT_COUNT; a++) {
            char keys[128];
            keymap_keys_for(km, (enum keyctx)c, (enum action)a, keys, sizeof(keys));
            if (!keys[0] && actions_context((enum action)a) != (enum keyctx)c)
                continue;
            fputs("| ", out);
            if (keys[0])
                md_keys(out, keys);
            else
                fputs("(none)", out);
            fprintf(out, " | %s | %s |\n", actions_name((enum action)a),
                    actions_help((enum action)a));
        }
    }
    fputs("\n## Commands\n\n"
          "Typed after `:`; a unique prefix is enough (`:set` for `:settings`). Up and\n"
          "Down recall earlier lines.\n\n"
          "| command | what it does |\n| --- | --- |\n",
          out);
    for (int c = 1; c < CMD_COUNT; c++) {
        const char *arg = actions_command_arg((enum command)c);
        fprintf(out, "| `:%s%s%s` | %s |\n", actions_command_name((enum command)c),
                arg[0] ? " " : "", arg, actions_command_help((enum command)c));
    }
}

/* Configuration and credentials: the config file with its profiles and key
 * bindings, the environment overrides, and the API key kept in locked memory. */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CONFIG_MAX_FILE    (1024 * 1024) /* a config file larger than this is refused */
#define CONFIG_MAX_LINE    4096
#define KEY_MAX_BYTES      4096  /* an API key longer than this is refused */
#define KEY_CMD_MAX_OUTPUT 65536 /* api_key_cmd output beyond this is refused */
#define KEY_CMD_TIMEOUT_MS 10000
#define KEY_CMD_MAX_ARGS   64
#define PER_PAGE_DEFAULT   40

/* The keys of the file, declared once: name, kind, and the range of numbers. */
#define CONFIG_KEY_LIST(X)                                                                         \
    X(CK_URL, "url", KIND_STR, 0, 0)                                                               \
    X(CK_API_KEY_FILE, "api_key_file", KIND_PATH, 0, 0)                                            \
    X(CK_API_KEY_CMD, "api_key_cmd", KIND_STR, 0, 0)                                               \
    X(CK_CA_FILE, "ca_file", KIND_PATH, 0, 0)                                                      \
    X(CK_THEME, "theme", KIND_STR, 0, 0)                                                           \
    X(CK_PER_PAGE, "per_page", KIND_INT, 1, 100)                                                   \
    X(CK_ESCDELAY, "escdelay", KIND_INT, 0, 10000)                                                 \
    X(CK_DEBUG_LOG, "debug_log", KIND_PATH, 0, 0)

enum config_kind { KIND_STR, KIND_PATH, KIND_INT };

enum config_key {
#define CK_ENUM(id, name, kind, lo, hi) id,
    CONFIG_KEY_LIST(CK_ENUM)
#undef CK_ENUM
        CK_COUNT
};

static const struct {
    const char *name;
    enum config_kind kind;
    long lo, hi;
} config_keys[] = {
#define CK_INFO(id, name, kind, lo, hi) [id] = {name, kind, lo, hi},
    CONFIG_KEY_LIST(CK_INFO)
#undef CK_INFO
};

/* Settings given in one part of the file (the top level or one profile). */
struct layer {
    char *value[CK_COUNT];
    int line[CK_COUNT]; /* 0: not given */
    struct config_binding *bindings;
    size_t n_bindings;
};

struct profile_seen {
    char *name;
    int line;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        abort();
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt,
                                                          ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    if (home != NULL && home[0] == '/')
        return home;
    struct passwd *pw = getpwuid(getuid());
    return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : NULL;
}

/* "~/x" becomes "$HOME/x"; anything else is copied. NULL when HOME is unknown. */
static char *expand_home(const char *path)
{
    if (path[0] != '~' || path[1] != '/')
        return xstrdup(path);
    const char *home = home_dir();
    if (home == NULL)
        return NULL;
    size_t hl = strlen(home), pl = strlen(path + 1);
    char *out = xrealloc(NULL, hl + pl + 1);
    memcpy(out, home, hl);
    memcpy(out + hl, path + 1, pl + 1);
    return out;
}

static void bindings_free(struct config_binding *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(b[i].context);
        free(b[i].key);
        free(b[i].action);
    }
    free(b);
}

static void layer_free(struct layer *l)
{
    for (int k = 0; k < CK_COUNT; k++)
        free(l->value[k]);
    bindings_free(l->bindings, l->n_bindings);
    *l = (struct layer){0};
}

static void config_clear_fields(struct config *cfg)
{
    config_secret_free(&cfg->api_key);
    free(cfg->profile);
    free(cfg->url);
    free(cfg->api_key_file);
    free(cfg->api_key_cmd);
    free(cfg->ca_file);
    free(cfg->theme);
    free(cfg->debug_log);
    bindings_free(cfg->bindings, cfg->n_bindings);
    *cfg = (struct config){0};
}

void config_free(struct config *cfg)
{
    if (cfg == NULL)
        return;
    config_clear_fields(cfg);
    cfg->escdelay = -1;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;

    if (*s == '\0')
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* State of one parse: where we are and what the caller asked for. */
struct parser {
    const char *name;
    const char *want; /* the profile to select */
    bool want_named;  /* asked for by name: its absence is an error */
    int section;      /* 0 top level, 1 the wanted profile, 2 another profile */
    struct layer top, prof;
    struct layer other; /* the profile being read when it is not the wanted one */
    bool prof_found;
    struct profile_seen *seen;
    size_t n_seen;
    char *err;
    size_t errlen;
};

static bool valid_profile_name(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

static enum crm_status parse_section(struct parser *p, const char *s, size_t n, int line)
{
    /* s is "[...]" with no surrounding blanks */
    if (n < 2 || s[n - 1] != ']')
        goto bad;
    s++;
    n -= 2;
    while (n > 0 && is_space(*s))
        s++, n--;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n < 8 || strncmp(s, "profile", 7) != 0 || !is_space(s[7]))
        goto bad;
    s += 7;
    n -= 7;
    while (n > 0 && is_space(*s))
        s++, n--;
    if (!valid_profile_name(s, n)) {
        set_err(p->err, p->errlen,
                "%s:%d: a profile name is 1 to 64 letters, digits, '_', '-' or '.'", p->name, line);
        return CRM_ERR_CONFIG;
    }
    for (size_t i = 0; i < p->n_seen; i++) {
        if (strlen(p->seen[i].name) == n && memcmp(p->seen[i].name, s, n) == 0) {
            set_err(p->err, p->errlen, "%s:%d: profile \"%.*s\" is already defined at line %d",
                    p->name, line, (int)n, s, p->seen[i].line);
            return CRM_ERR_CONFIG;
        }
    }
    p->seen = xrealloc(p->seen, (p->n_seen + 1) * sizeof(*p->seen));
    p->seen[p->n_seen].name = xstrndup(s, n);
    p->seen[p->n_seen].line = line;
    p->n_seen++;
    layer_free(&p->other);
    if (p->want != NULL && strlen(p->want) == n && memcmp(p->want, s, n) == 0) {
        p->section = 1;
        p->prof_found = true;
    } else {
        p->section = 2;
    }
    return CRM_OK;
bad:
    set_err(p->err, p->errlen, "%s:%d: a section header reads [profile NAME]", p->name, line);
    return CRM_ERR_CONFIG;
}

/* Splits s[0..n) on blanks into at most max words; returns the count, or
 * max + 1 when there are more. */
static size_t split_words(const char *s, size_t n, const char **w, size_t *wl, size_t max)
{
    size_t count = 0, i = 0;

    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i == n)
            break;
        size_t start = i;
        while (i < n && !is_space(s[i]))
            i++;
        if (count == max)
            return max + 1;
        w[count] = s + start;
        wl[count] = i - start;
        count++;
    }
    return count;
}

static enum crm_status parse_bind(struct parser *p, const char *s, size_t n, int line)
{
    const char *w[3];
    size_t wl[3];

    if (split_words(s, n, w, wl, 3) != 3) {
        set_err(p->err, p->errlen, "%s:%d: a binding reads: bind CONTEXT KEY ACTION", p->name,
                line);
        return CRM_ERR_CONFIG;
    }
    struct layer *l = p->section == 0 ? &p->top : p->section == 1 ? &p->prof : NULL;
    if (l == NULL)
        return CRM_OK;
    l->bindings = xrealloc(l->bindings, (l->n_bindings + 1) * sizeof(*l->bindings));
    struct config_binding *b = &l->bindings[l->n_bindings++];
    b->context = xstrndup(w[0], wl[0]);
    b->key = xstrndup(w[1], wl[1]);
    b->action = xstrndup(w[2], wl[2]);
    b->line = line;
    return CRM_OK;
}

static enum crm_status parse_setting(struct parser *p, const char *s, size_t n, int line)
{
    const char *eq = memchr(s, '=', n);
    size_t kl, vl;
    const char *v;
    int key = -1;

    if (eq == NULL) {
        set_err(p->err, p->errlen,
                "%s:%d: expected \"name = value\", \"bind CONTEXT KEY ACTION\" or "
                "\"[profile NAME]\"",
                p->name, line);
        return CRM_ERR_CONFIG;
    }
    kl = (size_t)(eq - s);
    while (kl > 0 && is_space(s[kl - 1]))
        kl--;
    v = eq + 1;
    vl = n - (size_t)(v - s);
    while (vl > 0 && is_space(*v))
        v++, vl--;
    for (int k = 0; k < CK_COUNT; k++) {
        if (strlen(config_keys[k].name) == kl && memcmp(config_keys[k].name, s, kl) == 0)
            key = k;
    }
    if (key < 0) {
        if (kl == 7 && memcmp(s, "api_key", 7) == 0) {
            set_err(p->err, p->errlen,
                    "%s:%d: the key itself does not belong in the config file; put it in a "
                    "file of mode 0600 named by api_key_file, or use api_key_cmd or "
                    "CRMTUI_API_KEY",
                    p->name, line);
            return CRM_ERR_CONFIG;
        }
        set_err(p->err, p->errlen,
                "%s:%d: unknown key \"%.*s\" (known: url, api_key_file, "
                "api_key_cmd, ca_file, theme, per_page, escdelay, debug_log)",
                p->name, line, (int)(kl > 40 ? 40 : kl), s);
        return CRM_ERR_CONFIG;
    }
    /* another profile is checked the same way, then dropped */
    struct layer *l = p->section == 0 ? &p->top : p->section == 1 ? &p->prof : &p->other;
    if (l->line[key] != 0) {
        set_err(p->err, p->errlen, "%s:%d: %s is already set at line %d", p->name, line,
                config_keys[key].name, l->line[key]);
        return CRM_ERR_CONFIG;
    }
    char *value = xstrndup(v, vl);
    if (config_keys[key].kind == KIND_INT && vl > 0) {
        long num;
        if (!parse_long(value, config_keys[key].lo, config_keys[key].hi, &num)) {
            set_err(p->err, p->errlen, "%s:%d: %s must be a whole number from %ld to %ld", p->name,
                    line, config_keys[key].name, config_keys[key].lo, config_keys[key].hi);
            free(value);
            return CRM_ERR_CONFIG;
        }
    }
    if (config_keys[key].kind == KIND_PATH && vl > 0) {
        char *full = expand_home(value);
        free(value);
        if (full == NULL) {
            set_err(p->err, p->errlen, "%s:%d: %s starts with ~/ but HOME is not set", p->name,
                    line, config_keys[key].name);
            return CRM_ERR_CONFIG;
        }
        value = full;
    }
    l->value[key] = value;
    l->line[key] = line;
    return CRM_OK;
}

static enum crm_status parse_line(struct parser *p, const char *s, size_t n, int line)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            set_err(p->err, p->errlen, "%s:%d: the line holds a control character", p->name, line);
            return CRM_ERR_CONFIG;
        }
    }
    while (n > 0 && is_space(*s))
        s++, n--;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    if (n == 0 || s[0] == '#')
        return CRM_OK;
    if (s[0] == '[')
        return parse_section(p, s, n, line);
    if (n > 5 && memcmp(s, "bind", 4) == 0 && is_space(s[4])) {
        size_t i = 5;
        while (i < n && is_space(s[i]))
            i++;
        if (i < n && s[i] != '=')
            return parse_bind(p, s + 5, n - 5, line);
    }
    return parse_setting(p, s, n, line);
}

/* Picks the layer's value, else the top level's; NULL when neither gave one or
 * the one that counts is empty (an empty value restores the default). */
static const char *pick(const struct parser *p, int key)
{
    const char *v = NULL;
    if (p->top.line[key] != 0)
        v = p->top.value[key];
    if (p->prof_found && p->prof.line[key] != 0)
        v = p->prof.value[key];
    return v != NULL && v[0] != '\0' ? v : NULL;
}

static void append_bindings(struct config *out, const struct layer *l)
{
    if (l->n_bindings == 0)
        return;
    out->bindings =
        xrealloc(out->bindings, (out->n_bindings + l->n_bindings) * sizeof(*out->bindings));
    for (size_t i = 0; i < l->n_bindings; i++) {
        struct config_binding *b = &out->bindings[out->n_bindings++];
        b->context = xstrdup(l->bindings[i].context);
        b->key = xstrdup(l->bindings[i].key);
        b->action = xstrdup(l->bindings[i].action);
        b->line = l->bindings[i].line;
    }
}

static void build_config(const struct parser *p, struct config *out)
{
    char **strs[CK_COUNT] = {
        [CK_URL] = &out->url,
        [CK_API_KEY_FILE] = &out->api_key_file,
        [CK_API_KEY_CMD] = &out->api_key_cmd,
        [CK_CA_FILE] = &out->ca_file,
        [CK_THEME] = &out->theme,
        [CK_DEBUG_LOG] = &out->debug_log,
    };
    long num;

    out->per_page = PER_PAGE_DEFAULT;
    out->escdelay = -1;
    for (int k = 0; k < CK_COUNT; k++) {
        const char *v = pick(p, k);
        if (v == NULL)
            continue;
        if (strs[k] != NULL)
            *strs[k] = xstrdup(v);
        else if (k == CK_PER_PAGE && parse_long(v, 1, 100, &num))
            out->per_page = (int)num;
        else if (k == CK_ESCDELAY && parse_long(v, 0, 10000, &num))
            out->escdelay = (int)num;
    }
    if (p->prof_found)
        out->profile = xstrdup(p->want);
    append_bindings(out, &p->top);
    if (p->prof_found)
        append_bindings(out, &p->prof);

    const char *env_url = getenv("CRMTUI_URL");
    if (env_url != NULL && env_url[0] != '\0') {
        free(out->url);
        out->url = xstrdup(env_url);
    }
}

enum crm_status config_parse(const char *text, size_t len, const char *name, const char *profile,
                             struct config *out, char *err, size_t errlen)
{
    struct parser p = {.name = name ? name : "config", .err = err, .errlen = errlen};
    enum crm_status st = CRM_OK;
    int line = 1;

    if (out == NULL)
        return CRM_ERR_INVALID;
    *out = (struct config){0};
    out->escdelay = -1;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (profile == NULL) {
        const char *env = getenv("CRMTUI_PROFILE");
        if (env != NULL && env[0] != '\0')
            profile = env;
    }
    p.want = profile != NULL ? profile : "default";
    p.want_named = profile != NULL;
    if (text == NULL)
        len = 0;

    for (size_t i = 0; i < len; line++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (memchr(text + i, '\0', end - i) != NULL) {
            set_err(err, errlen, "%s:%d: the line holds a NUL byte", p.name, line);
            st = CRM_ERR_CONFIG;
            goto out;
        }
        if (end - i > CONFIG_MAX_LINE) {
            set_err(err, errlen, "%s:%d: the line is longer than %d bytes", p.name, line,
                    CONFIG_MAX_LINE);
            st = CRM_ERR_CONFIG;
            goto out;
        }
        st = parse_line(&p, text + i, end - i, line);
        if (st != CRM_OK)
            goto out;
        i = nl ? end + 1 : len;
    }
    if (p.want_named && !p.prof_found) {
        char names[200] = "";
        size_t off = 0;
        for (size_t i = 0; i < p.n_seen && off < sizeof(names); i++) {
            int n =
                snprintf(names + off, sizeof(names) - off, "%s%s", i ? ", " : "", p.seen[i].name);
            if (n < 0)
                break;
            off += (size_t)n;
        }
        set_err(err, errlen, "%s: no profile \"%s\" (profiles: %s)", p.name, p.want,
                p.n_seen ? names : "none");
        st = CRM_ERR_CONFIG;
        goto out;
    }
    build_config(&p, out);
out:
    layer_free(&p.top);
    layer_free(&p.prof);
    layer_free(&p.other);
    for (size_t i = 0; i < p.n_seen; i++)
        free(p.seen[i].name);
    free(p.seen);
    return st;
}

static char *default_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *base = NULL;
    const char *tail;
    char *out;
    size_t bl, tl;

    if (xdg != NULL && xdg[0] == '/') {
        base = xdg;
        tail = "/crmtui/config";
    } else {
        base = home_dir();
        tail = "/.config/crmtui/config";
    }
    if (base == NULL)
        return NULL;
    bl = strlen(base);
    tl = strlen(tail);
    out = xrealloc(NULL, bl + tl + 1);
    memcpy(out, base, bl);
    memcpy(out + bl, tail, tl + 1);
    return out;
}

/* Reads a whole regular file of at most max bytes. */
static enum crm_status read_small_file(int fd, size_t max, char **text, size_t *len)
{
    struct stat st;
    char *buf;
    size_t have = 0;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uintmax_t)st.st_size > max)
        return CRM_ERR_CONFIG;
    buf = xrealloc(NULL, (size_t)st.st_size + 1);
    for (;;) {
        ssize_t r = read(fd, buf + have, (size_t)st.st_size - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return CRM_ERR_CONFIG;
        }
        if (r == 0)
            break;
        have += (size_t)r;
        if (have == (size_t)st.st_size)
            break;
    }
    buf[have] = '\0';
    *text = buf;
    *len = have;
    return CRM_OK;
}

enum crm_status config_load(const char *path, const char *profile, struct config *out, char *err,
                            size_t errlen)
{
    char *own_path = NULL;
    char *text = NULL;
    size_t len = 0;
    enum crm_status st;
    struct stat sb;
    int fd = -1;

    if (out == NULL)
        return CRM_ERR_INVALID;
    *out = (struct config){0};
    out->escdelay = -1;
    if (path == NULL) {
        own_path = default_config_path();
        if (own_path == NULL) {
            /* no home at all: the defaults and the environment */
            return config_parse("", 0, "config", profile, out, err, errlen);
        }
    }
    const char *file = path ? path : own_path;
    fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (path == NULL && errno == ENOENT) {
            st = config_parse("", 0, file, profile, out, err, errlen);
            goto out;
        }
        set_err(err, errlen, "%s: cannot read the config file: %s", file, strerror(errno));
        st = CRM_ERR_CONFIG;
        goto out;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        set_err(err, errlen, "%s: the config file is not a regular file", file);
        st = CRM_ERR_CONFIG;
        goto out;
    }
    /* It may name a command to run: nobody else may change it. */
    if (sb.st_uid != geteuid() && sb.st_uid != 0) {
        set_err(err, errlen, "%s: the config file belongs to uid %ld, not to you (uid %ld)", file,
                (long)sb.st_uid, (long)geteuid());
        st = CRM_ERR_CONFIG;
        goto out;
    }
    if (sb.st_mode & 022) {
        set_err(err, errlen,
                "%s: the config file can be changed by others (mode %04o); run: chmod go-w %s",
                file, (unsigned)(sb.st_mode & 07777), file);
        st = CRM_ERR_CONFIG;
        goto out;
    }
    if (sb.st_size > CONFIG_MAX_FILE) {
        set_err(err, errlen, "%s: the config file is larger than %d bytes", file, CONFIG_MAX_FILE);
        st = CRM_ERR_CONFIG;
        goto out;
    }
    if (read_small_file(fd, CONFIG_MAX_FILE, &text, &len) != CRM_OK) {
        set_err(err, errlen, "%s: cannot read the config file: %s", file, strerror(errno));
        st = CRM_ERR_CONFIG;
        goto out;
    }
    st = config_parse(text, len, file, profile, out, err, errlen);
out:
    if (fd >= 0)
        close(fd);
    free(text);
    free(own_path);
    return st;
}

/* --- secrets ----------------------------------------------------------- */

/* A secret block: its total size sits in front of the bytes handed out. */
struct secret_head {
    size_t map_len;
    size_t pad; /* keeps the string 16-byte aligned */
};

char *config_secret_dup(const char *s, size_t len)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t psz = page > 0 ? (size_t)page : 4096;
    size_t need = sizeof(struct secret_head) + len + 1;
    size_t map_len;
    void *mem;

    if (len > SIZE_MAX / 2)
        abort();
    map_len = (need + psz - 1) / psz * psz;
    mem = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        abort();
    /* Not fatal when refused (RLIMIT_MEMLOCK, no privilege): the key is still
     * wiped on release and kept out of core dumps. */
    (void)mlock(mem, map_len);
#ifdef MADV_DONTDUMP
    (void)madvise(mem, map_len, MADV_DONTDUMP);
#endif
#ifdef MADV_WIPEONFORK
    (void)madvise(mem, map_len, MADV_WIPEONFORK);
#endif
    struct secret_head *h = mem;
    h->map_len = map_len;
    char *out = (char *)(h + 1);
    if (s && len > 0)
        memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

void config_secret_free(char **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    struct secret_head *h = (struct secret_head *)(void *)*pp - 1;
    size_t map_len = h->map_len;
    explicit_bzero(h, map_len);
    (void)munlock(h, map_len);
    munmap(h, map_len);
    *pp = NULL;
}

/* --- the API key --------------------------------------------------------- */

/* Takes the first line of buf, trimmed; checks it is a usable header value. */
static enum crm_status key_from_text(const char *buf, size_t n, const char *what, char **key,
                                     char *err, size_t errlen)
{
    const char *nl = memchr(buf, '\n', n);
    size_t len = nl ? (size_t)(nl - buf) : n;
    const char *s = buf;

    while (len > 0 && (is_space(*s) || *s == '\r'))
        s++, len--;
    while (len > 0 && (is_space(s[len - 1]) || s[len - 1] == '\r'))
        len--;
    if (len == 0) {
        set_err(err, errlen, "%s gave an empty key", what);
        return CRM_ERR_KEY;
    }
    if (len > KEY_MAX_BYTES) {
        set_err(err, errlen, "%s gave a key longer than %d bytes", what, KEY_MAX_BYTES);
        return CRM_ERR_KEY;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            set_err(err, errlen, "%s gave a key with a control character in it", what);
            return CRM_ERR_KEY;
        }
    }
    *key = config_secret_dup(s, len);
    return CRM_OK;
}

static enum crm_status key_from_file(const char *file, char **key, char *err, size_t errlen)
{
    char buf[KEY_MAX_BYTES + 2];
    char what[PATH_MAX + 32];
    struct stat sb;
    size_t have = 0;
    enum crm_status st = CRM_ERR_KEY;
    int fd;

    fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP)
            set_err(err, errlen,
                    "api key file %s is a symbolic link; set api_key_file to the file itself",
                    file);
        else
            set_err(err, errlen, "api key file %s cannot be opened: %s", file, strerror(errno));
        return CRM_ERR_KEY;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        set_err(err, errlen, "api key file %s is not a regular file", file);
        goto out;
    }
    if (sb.st_uid != geteuid()) {
        set_err(err, errlen,
                "api key file %s belongs to uid %ld, not to you (uid %ld); run: "
                "chown %ld %s",
                file, (long)sb.st_uid, (long)geteuid(), (long)geteuid(), file);
        goto out;
    }
    if (sb.st_mode & 077) {
        const char *how = (sb.st_mode & 044)   ? "readable by others"
                          : (sb.st_mode & 022) ? "writable by others"
                                               : "open to others";
        set_err(err, errlen, "api key file %s is %s (mode %04o); run: chmod 600 %s", file, how,
                (unsigned)(sb.st_mode & 07777), file);
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, buf + have, sizeof(buf) - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            set_err(err, errlen, "api key file %s cannot be read: %s", file, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        have += (size_t)r;
        if (memchr(buf, '\n', have) != NULL || have == sizeof(buf))
            break;
    }
    snprintf(what, sizeof(what), "api key file %s", file);
    st = key_from_text(buf, have, what, key, err, errlen);
out:
    explicit_bzero(buf, sizeof(buf));
    close(fd);
    return st;
}

/* Splits a command line into words: blanks separate, '...' is literal, "..."
 * takes \" and \\, a backslash outside quotes takes the next character. */
static enum crm_status split_command(const char *cmd, char **argv, size_t max, size_t *argc,
                                     char *err, size_t errlen)
{
    size_t n = 0;
    const char *p = cmd;
    size_t cap = strlen(cmd) + 1;

    while (*p) {
        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        if (n + 1 >= max) {
            set_err(err, errlen, "api_key_cmd has more than %zu words", max - 1);
            goto fail;
        }
        char *word = xrealloc(NULL, cap);
        size_t wl = 0;
        bool home = p[0] == '~' && p[1] == '/';
        while (*p && !is_space(*p)) {
            if (*p == '\'') {
                const char *close = strchr(p + 1, '\'');
                if (close == NULL) {
                    free(word);
                    set_err(err, errlen, "api_key_cmd has an unterminated ' quote");
                    goto fail;
                }
                memcpy(word + wl, p + 1, (size_t)(close - p - 1));
                wl += (size_t)(close - p - 1);
                p = close + 1;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    word[wl++] = *p++;
                }
                if (*p != '"') {
                    free(word);
                    set_err(err, errlen, "api_key_cmd has an unterminated \" quote");
                    goto fail;
                }
                p++;
            } else if (*p == '\\' && p[1] != '\0') {
                word[wl++] = p[1];
                p += 2;
            } else {
                word[wl++] = *p++;
            }
        }
        word[wl] = '\0';
        if (home) {
            char *full = expand_home(word);
            if (full != NULL) {
                free(word);
                word = full;
            }
        }
        argv[n++] = word;
    }
    if (n == 0) {
        set_err(err, errlen, "api_key_cmd is empty");
        goto fail;
    }
    argv[n] = NULL;
    *argc = n;
    return CRM_OK;
fail:
    for (size_t i = 0; i < n; i++)
        free(argv[i]);
    return CRM_ERR_KEY;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Waits for the child until the deadline; kills it then. Returns false on
 * timeout (the child is reaped either way). */
static bool wait_child(pid_t pid, const struct timespec *t0, int *status)
{
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR)
            return true;
        if (elapsed_ms(t0) >= KEY_CMD_TIMEOUT_MS) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return false;
        }
        /* the output has ended; the exit is normally a moment away */
        struct timespec nap = {0, 5 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
}

static enum crm_status key_from_command(const char *cmd, char **key, char *err, size_t errlen)
{
    char *argv[KEY_CMD_MAX_ARGS + 1];
    size_t argc = 0;
    int pipefd[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    bool fa_ok = false;
    pid_t pid = -1;
    char *buf = NULL;
    size_t have = 0;
    enum crm_status st;
    struct timespec t0;

    st = split_command(cmd, argv, KEY_CMD_MAX_ARGS + 1, &argc, err, errlen);
    if (st != CRM_OK)
        return st;
    st = CRM_ERR_KEY;
    if (pipe(pipefd) != 0) {
        set_err(err, errlen, "api_key_cmd: cannot make a pipe: %s", strerror(errno));
        goto out;
    }
    (void)fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
    if (posix_spawn_file_actions_init(&fa) != 0)
        goto out;
    fa_ok = true;
    /* stdin from /dev/null (the terminal belongs to crmtui), stdout to us,
     * stderr left as it is so the command can say what went wrong. */
    if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1) != 0) {
        set_err(err, errlen, "api_key_cmd: cannot prepare the command");
        goto out;
    }
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    if (rc != 0) {
        pid = -1;
        set_err(err, errlen, "api_key_cmd: cannot run \"%s\": %s", argv[0], strerror(rc));
        goto out;
    }
    close(pipefd[1]);
    pipefd[1] = -1;

    buf = config_secret_dup(NULL, KEY_MAX_BYTES + 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total = 0;
    bool timed_out = false;
    for (;;) {
        long left = KEY_CMD_TIMEOUT_MS - elapsed_ms(&t0);
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
        int pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            break;
        if (pr == 0)
            continue;
        char chunk[512];
        ssize_t r = read(pipefd[0], chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        total += (size_t)r;
        /* the first line is what counts; the rest is drained and dropped */
        if (have < KEY_MAX_BYTES + 1) {
            size_t take = (size_t)r;
            if (take > KEY_MAX_BYTES + 1 - have)
                take = KEY_MAX_BYTES + 1 - have;
            memcpy(buf + have, chunk, take);
            have += take;
        }
        explicit_bzero(chunk, sizeof(chunk));
        if (total > KEY_CMD_MAX_OUTPUT)
            break;
    }
    int status = 0;
    if (timed_out || total > KEY_CMD_MAX_OUTPUT) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    } else if (!wait_child(pid, &t0, &status)) {
        timed_out = true;
    }
    pid = -1;
    if (timed_out) {
        set_err(err, errlen, "api_key_cmd \"%s\" did not finish within %d seconds", argv[0],
                KEY_CMD_TIMEOUT_MS / 1000);
        goto out;
    }
    if (total > KEY_CMD_MAX_OUTPUT) {
        set_err(err, errlen, "api_key_cmd \"%s\" printed more than %d bytes", argv[0],
                KEY_CMD_MAX_OUTPUT);
        goto out;
    }
    if (WIFSIGNALED(status)) {
        set_err(err, errlen, "api_key_cmd \"%s\" was killed by signal %d", argv[0],
                WTERMSIG(status));
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        set_err(err, errlen, "api_key_cmd \"%s\" failed with exit status %d", argv[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        goto out;
    }
    char what[128];
    snprintf(what, sizeof(what), "api_key_cmd \"%.60s\"", argv[0]);
    st = key_from_text(buf, have, what, key, err, errlen);
out:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    config_secret_free(&buf);
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    return st;
}

enum crm_status config_load_key(struct config *cfg, char *err, size_t errlen)
{
    char *key = NULL;
    enum crm_status st;

    if (cfg == NULL)
        return CRM_ERR_INVALID;
    if (err != NULL && errlen > 0)
        err[0] = '\0';

    char *env = getenv("CRMTUI_API_KEY");
    if (env != NULL && env[0] != '\0') {
        st = key_from_text(env, strlen(env), "CRMTUI_API_KEY", &key, err, errlen);
        /* Children must not inherit it, and the environment block must not
         * keep a copy: overwrite the value in place, then remove the entry. */
        explicit_bzero(env, strlen(env));
        unsetenv("CRMTUI_API_KEY");
        if (st != CRM_OK)
            return st;
    } else if (cfg->api_key_file != NULL) {
        st = key_from_file(cfg->api_key_file, &key, err, errlen);
        if (st != CRM_OK)
            return st;
    } else if (cfg->api_key_cmd != NULL) {
        st = key_from_command(cfg->api_key_cmd, &key, err, errlen);
        if (st != CRM_OK)
            return st;
    } else {
        set_err(err, errlen,
                "no API key: set CRMTUI_API_KEY, or api_key_file or api_key_cmd in the config "
                "file");
        return CRM_ERR_KEY;
    }
    config_secret_free(&cfg->api_key);
    cfg->api_key = key;
    return CRM_OK;
}

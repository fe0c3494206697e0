/* crmtui export|forget|unsubscribe: parses the subcommand's arguments and
 * input files, loads the config and key as the TUI does, runs core/batch.c. */
#include "tui/batch-cli.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/api.h"
#include "core/batch.h"
#include "core/config.h"
#include "core/journal.h"

#define MAX_LINE 4096
/* A bulk run spreads its records over this many connections at most (never
 * more than --jobs): the server scrubs erasures that arrive together once. */
#define BATCH_CONNECTIONS 4

static const char batch_usage[] =
    "usage: crmtui export ID... [-o FILE | -d DIR] [--format json|csv|vcf] [OPTIONS]\n"
    "       crmtui forget ID --confirm EMAIL [OPTIONS]\n"
    "       crmtui forget --confirm-file FILE [OPTIONS]   lines \"ID EMAIL\"\n"
    "       crmtui forget --from-csv FILE [OPTIONS]       a column of emails or ids\n"
    "       crmtui unsubscribe ID... [OPTIONS]\n"
    "\n"
    "OPTIONS: --json (one JSON object per line: id, action, status, message)\n"
    "         --journal FILE (resume journal; default $XDG_STATE_HOME/crmtui/)\n"
    "         --jobs N (records in progress at once, 1-8, default 8; over up to\n"
    "                  4 connections)\n"
    "         --url URL  --profile NAME  --config FILE\n"
    "\n"
    "One line per record: ID ACTION STATUS MESSAGE (status done, failed or\n"
    "skipped). Exit status: 0 every record done, 1 some failed, 2 usage error.\n";

struct cli {
    enum batch_action action;
    struct batch_item *items;
    size_t n_items, cap_items;
    char **strs; /* owned strings the items borrow */
    size_t n_strs, cap_strs;
    const char *confirm, *confirm_file, *from_csv, *out_file, *out_dir, *format, *journal;
    const char *url, *profile, *config;
    int jobs;
    bool json;
};

bool batch_cli_is_command(const char *arg)
{
    return arg && (strcmp(arg, "export") == 0 || strcmp(arg, "forget") == 0 ||
                   strcmp(arg, "unsubscribe") == 0);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("crmtui: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (crmtui export --help lists the forms)\n", stderr);
    return 2;
}

/* A positive decimal id, or 0 when s is not one. */
static int64_t parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    return errno || v <= 0 ? 0 : (int64_t)v;
}

static char *keep(struct cli *c, const char *s, size_t len)
{
    if (c->n_strs == c->cap_strs) {
        size_t cap = c->cap_strs ? c->cap_strs * 2 : 64;
        char **n = realloc(c->strs, cap * sizeof *n);
        if (!n)
            return NULL;
        c->strs = n;
        c->cap_strs = cap;
    }
    char *d = strndup(s, len);
    if (d)
        c->strs[c->n_strs++] = d;
    return d;
}

static int add_item(struct cli *c, int64_t id, const char *email, const char *confirm)
{
    if (c->n_items == c->cap_items) {
        size_t cap = c->cap_items ? c->cap_items * 2 : 64;
        struct batch_item *n = realloc(c->items, cap * sizeof *n);
        if (!n)
            return -1;
        c->items = n;
        c->cap_items = cap;
    }
    c->items[c->n_items++] = (struct batch_item){.id = id, .email = email, .confirm = confirm};
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Field col of a simple CSV line (quotes stripped; "" inside quotes is one
 * quote) into out. Returns 0, or -1 when the line has fewer fields. */
static int csv_field(const char *line, int col, char *out, size_t outlen)
{
    int k = 0;
    size_t n = 0;
    bool quoted = false;
    for (const char *p = line;; p++) {
        if (*p == '\0' || (*p == ',' && !quoted)) {
            if (k == col) {
                out[n] = '\0';
                return 0;
            }
            if (*p == '\0')
                return -1;
            k++;
            continue;
        }
        if (*p == '"') {
            if (quoted && p[1] == '"') {
                p++;
            } else {
                quoted = !quoted;
                continue;
            }
        }
        if (k == col && n + 1 < outlen)
            out[n++] = *p;
    }
}

/* --from-csv: the column named email, id or contact_id in a header row, else
 * the first; each value an id or an email. */
static int read_csv(struct cli *c, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[MAX_LINE], field[512];
    int col = 0, rc = 2;
    long lineno = 0;
    if (!f) {
        fprintf(stderr, "crmtui: cannot read %s: %s\n", path, strerror(errno));
        return 2;
    }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            fprintf(stderr, "crmtui: %s line %ld is too long\n", path, lineno);
            goto out;
        }
        char *l = trim(line);
        if (!*l)
            continue;
        if (lineno == 1) {
            bool header = false;
            for (int k = 0; csv_field(l, k, field, sizeof field) == 0 && k < 64; k++) {
                char *h = trim(field);
                if (strcasecmp(h, "email") == 0 || strcasecmp(h, "id") == 0 ||
                    strcasecmp(h, "contact_id") == 0) {
                    col = k;
                    header = true;
                    break;
                }
            }
            if (header)
                continue;
        }
        if (csv_field(l, col, field, sizeof field) != 0) {
            fprintf(stderr, "crmtui: %s line %ld has no column %d\n", path, lineno, col + 1);
            goto out;
        }
        char *v = trim(field);
        int64_t id = parse_id(v);
        if (id) {
            if (add_item(c, id, NULL, NULL) != 0)
                goto nomem;
        } else if (strchr(v, '@') && !strchr(v, ' ')) {
            const char *e = keep(c, v, strlen(v));
            if (!e || add_item(c, 0, e, NULL) != 0)
                goto nomem;
        } else if (lineno == 1) {
            continue; /* a header naming some other column */
        } else {
            fprintf(stderr, "crmtui: %s line %ld is neither an id nor an email\n", path, lineno);
            goto out;
        }
    }
    rc = 0;
    goto out;
nomem:
    fprintf(stderr, "crmtui: out of memory\n");
    rc = 1;
out:
    fclose(f);
    return rc;
}

/* --confirm-file: lines "ID EMAIL"; blank lines and # comments skipped. */
static int read_confirm_file(struct cli *c, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[MAX_LINE];
    long lineno = 0;
    int rc = 2;
    if (!f) {
        fprintf(stderr, "crmtui: cannot read %s: %s\n", path, strerror(errno));
        return 2;
    }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *l = trim(line);
        if (!*l || *l == '#')
            continue;
        char *sp = l;
        while (*sp && !isspace((unsigned char)*sp))
            sp++;
        if (!*sp) {
            fprintf(stderr, "crmtui: %s line %ld needs \"ID EMAIL\"\n", path, lineno);
            goto out;
        }
        *sp++ = '\0';
        char *email = trim(sp);
        int64_t id = parse_id(l);
        if (!id || !*email || strchr(email, ' ')) {
            fprintf(stderr, "crmtui: %s line %ld needs \"ID EMAIL\"\n", path, lineno);
            goto out;
        }
        const char *e = keep(c, email, strlen(email));
        if (!e || add_item(c, id, NULL, e) != 0) {
            fprintf(stderr, "crmtui: out of memory\n");
            rc = 1;
            goto out;
        }
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

/* Parses argv[2..]; returns 0 or an exit status. */
static int parse(struct cli *c, int argc, char **argv)
{
    static const struct {
        const char *name;
        size_t off;
    } valued[] = {
        {"--confirm", offsetof(struct cli, confirm)},
        {"--confirm-file", offsetof(struct cli, confirm_file)},
        {"--from-csv", offsetof(struct cli, from_csv)},
        {"-o", offsetof(struct cli, out_file)},
        {"--output", offsetof(struct cli, out_file)},
        {"-d", offsetof(struct cli, out_dir)},
        {"--dir", offsetof(struct cli, out_dir)},
        {"--format", offsetof(struct cli, format)},
        {"--journal", offsetof(struct cli, journal)},
        {"--url", offsetof(struct cli, url)},
        {"--profile", offsetof(struct cli, profile)},
        {"--config", offsetof(struct cli, config)},
    };
    const char *jobs = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(batch_usage, stdout);
            return -1;
        }
        if (strcmp(a, "--json") == 0) {
            c->json = true;
            continue;
        }
        if (strcmp(a, "--jobs") == 0) {
            if (i + 1 >= argc)
                return usage_error("--jobs needs a value");
            jobs = argv[++i];
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            size_t n = strlen(valued[k].name);
            const char *v;
            if (strcmp(a, valued[k].name) == 0) {
                if (i + 1 >= argc)
                    return usage_error("%s needs a value", valued[k].name);
                v = argv[++i];
            } else if (strncmp(a, valued[k].name, n) == 0 && a[n] == '=' && n > 2) {
                v = a + n + 1;
            } else {
                continue;
            }
            if (!v[0])
                return usage_error("%s needs a value", valued[k].name);
            const char **slot = (const char **)((char *)c + valued[k].off);
            if (*slot)
                return usage_error("%s is given twice", valued[k].name);
            *slot = v;
            known = true;
            break;
        }
        if (known)
            continue;
        if (a[0] == '-')
            return usage_error("unknown option \"%.80s\"", a);
        int64_t id = parse_id(a);
        if (!id)
            return usage_error("\"%.80s\" is not a contact id", a);
        if (add_item(c, id, NULL, NULL) != 0)
            return 1;
    }
    c->jobs = 8;
    if (jobs) {
        int64_t j = parse_id(jobs);
        if (j < 1 || j > 8)
            return usage_error("--jobs needs a number from 1 to 8");
        c->jobs = (int)j;
    }

    bool is_export = c->action == BATCH_EXPORT, is_forget = c->action == BATCH_FORGET;
    if (!is_export && (c->out_file || c->out_dir || c->format))
        return usage_error("-o, -d and --format are for export only");
    if (!is_forget && (c->confirm || c->confirm_file || c->from_csv))
        return usage_error("--confirm, --confirm-file and --from-csv are for forget only");
    if (is_export && c->out_file && c->out_dir)
        return usage_error("give -o FILE or -d DIR, not both");
    if (is_export && c->out_file && c->n_items > 1)
        return usage_error("-o FILE takes one id; use -d DIR for several");
    if (is_forget) {
        int forms = (c->confirm != NULL) + (c->confirm_file != NULL) + (c->from_csv != NULL);
        if (forms != 1)
            return usage_error(
                "forget needs one of --confirm EMAIL, --confirm-file FILE, --from-csv FILE");
        if (c->confirm && c->n_items != 1)
            return usage_error("forget --confirm EMAIL takes exactly one id");
        if (!c->confirm && c->n_items)
            return usage_error("forget takes its ids from the file, not the command line");
        if (c->confirm)
            c->items[0].confirm = c->confirm;
        int rc = c->confirm_file ? read_confirm_file(c, c->confirm_file)
                 : c->from_csv   ? read_csv(c, c->from_csv)
                                 : 0;
        if (rc)
            return rc;
    }
    if (c->n_items == 0)
        return usage_error("%s needs at least one contact", batch_action_name(c->action));
    return 0;
}

static uint64_t input_hash(const struct cli *c)
{
    const char *name = batch_action_name(c->action);
    uint64_t h = journal_hash(JOURNAL_HASH_INIT, name, strlen(name));
    for (size_t i = 0; i < c->n_items; i++) {
        const struct batch_item *it = &c->items[i];
        char buf[32];
        int n = snprintf(buf, sizeof buf, "\n%" PRId64 " ", it->id);
        h = journal_hash(h, buf, (size_t)n);
        if (it->email)
            h = journal_hash(h, it->email, strlen(it->email));
        h = journal_hash(h, " ", 1);
        if (it->confirm)
            h = journal_hash(h, it->confirm, strlen(it->confirm));
    }
    return h;
}

int batch_cli_main(int argc, char **argv)
{
    struct cli c = {0};
    struct config cfg = {0};
    struct crm_client *client = NULL;
    struct journal *jr = NULL;
    char err[512], jpath[4096] = "";
    bool have_cfg = false;
    int rc;

    if (strcmp(argv[1], "forget") == 0)
        c.action = BATCH_FORGET;
    else if (strcmp(argv[1], "unsubscribe") == 0)
        c.action = BATCH_UNSUBSCRIBE;
    else
        c.action = BATCH_EXPORT;
    rc = parse(&c, argc, argv);
    if (rc == -1) {
        rc = 0; /* --help */
        goto out;
    }
    if (rc)
        goto out;
    enum export_format fmt = EXPORT_JSON;
    if (c.format && export_format_parse(c.format, &fmt) != 0) {
        rc = usage_error("--format is json, csv or vcf, not \"%.40s\"", c.format);
        goto out;
    }

    rc = 1;
    if (config_load(c.config, c.profile, &cfg, err, sizeof err) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }
    have_cfg = true;
    const char *url = c.url ? c.url : cfg.url;
    if (!url || !url[0]) {
        fprintf(stderr, "crmtui: no server URL: set CRMTUI_URL, pass --url, or put url in "
                        "the config file\n");
        goto out;
    }
    if (config_load_key(&cfg, err, sizeof err) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }
    struct crm_client_opts copts = {
        .url = url,
        .api_key = cfg.api_key,
        .ca_file = cfg.ca_file,
        .debug_log = cfg.debug_log,
        .max_connections = c.jobs < BATCH_CONNECTIONS ? c.jobs : BATCH_CONNECTIONS,
    };
    if (crm_client_new(&copts, &client, err, sizeof err) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }

    /* a bulk run (or any run given --journal) keeps a journal */
    bool default_journal = false;
    if (c.journal || c.n_items > 1 || c.confirm_file || c.from_csv) {
        uint64_t h = input_hash(&c);
        if (c.journal) {
            snprintf(jpath, sizeof jpath, "%s", c.journal);
        } else if (journal_default_path(h, jpath, sizeof jpath) == CRM_OK) {
            default_journal = true;
        } else {
            fprintf(stderr, "crmtui: no place for the journal: set XDG_STATE_HOME or HOME, or "
                            "pass --journal FILE\n");
            goto out;
        }
        if (journal_open(jpath, h, &jr, err, sizeof err) != CRM_OK) {
            fprintf(stderr, "crmtui: %s\n", err);
            goto out;
        }
    }

    struct batch_opts bo = {
        .action = c.action,
        .items = c.items,
        .n_items = c.n_items,
        .format = fmt,
        .out_file = c.out_file,
        .out_dir = c.out_dir,
        .max_inflight = c.jobs,
        .journal = jr,
        .json = c.json,
        .out = stdout,
        .progress = isatty(STDERR_FILENO) ? stderr : NULL,
    };
    struct batch_result res;
    rc = batch_run(client, &bo, &res);
    if (!c.json && (c.n_items > 1 || res.skipped))
        fprintf(stderr, "crmtui: %zu done, %zu failed, %zu done in an earlier run\n", res.done,
                res.failed, res.skipped);
    journal_close(&jr);
    if (rc == 0 && default_journal) {
        /* finished: a later run of the same input starts afresh */
        char side[4200];
        unlink(jpath);
        snprintf(side, sizeof side, "%s-wal", jpath);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", jpath);
        unlink(side);
    }
out:
    journal_close(&jr);
    crm_client_free(&client);
    if (have_cfg)
        config_free(&cfg);
    for (size_t i = 0; i < c.n_strs; i++)
        free(c.strs[i]);
    free(c.strs);
    free(c.items);
    return rc;
}

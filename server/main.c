/* crm-server: `init` creates and seeds a database, `serve` answers the CRM
 * API on it until SIGINT or SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/clock.h"
#include "server/fault.h"
#include "server/db.h"
#include "server/http.h"
#include "server/json.h"
#include "server/purge.h"
#include "server/ratelimit.h"
#include "server/router.h"
#include "server/seed.h"

#define CRM_SERVER_VERSION "0.1.0"
#define DEMO_MAX           10000000L
#define RATE_LIMIT_MAX     1000000L
#define PEM_MAX            (64 * 1024)
#define EXIT_USAGE         2

static const char usage_text[] =
    "usage: crm-server init DB [--demo N] [--keys-out FILE]\n"
    "       crm-server serve DB [--listen ADDR:PORT] [--rate-limit N]\n"
    "                           [--tls-cert FILE --tls-key FILE]\n"
    "       crm-server --help | --version\n";

static const char help_text[] =
    "crm-server: a local CRM API server on SQLite, speaking the Freshsales-compatible\n"
    "API under /crm/sales/api.\n"
    "\n"
    "  init DB              create the database and its account with the users ana\n"
    "                       (admin), bruno and carla (agents), each with a fresh API key\n"
    "    --demo N           also seed N synthetic contacts with companies and timelines\n"
    "    --keys-out FILE    write the \"name role key\" lines to FILE (mode 0600)\n"
    "                       instead of standard output\n"
    "  serve DB             answer the API until SIGINT or SIGTERM\n"
    "    --listen ADDR:PORT address and port (default 127.0.0.1:8080; IPv6 in\n"
    "                       brackets, e.g. [::1]:8080); port 0\n"
    "                       picks a free one; the server listens on loopback unless\n"
    "                       another address is given here\n"
    "    --rate-limit N     requests per minute for the account (default 6000); over\n"
    "                       it the server answers 429 with Retry-After\n"
    "    --tls-cert FILE    serve HTTPS with this PEM certificate ...\n"
    "    --tls-key FILE     ... and this PEM private key\n"
    "    --unsafe-test-clock FILE  for tests only: shift the server clock by the\n"
    "                       seconds written in FILE (read at every use), and run\n"
    "                       the purge task every 200 ms\n"
    "    --unsafe-fault-injection SPEC  for tests only: answers fail, stall or\n"
    "                       are cut on purpose, e.g. \"seed=1,error500=0.2,close=0.1\"\n"
    "                       (docs/reliability.md lists the kinds)\n"
    "  --help, --version\n"
    "\n"
    "Once ready, serve prints \"listening on http://ADDR:PORT/crm/sales/api\" on\n"
    "standard output. Its log (standard error) holds one line per request: time,\n"
    "method, route, status and duration; never a name, email, phone or query.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("crm-server: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/* A decimal number in [min, max], the whole string; -1 otherwise. */
static long parse_long(const char *s, long min, long max)
{
    char *end;
    long v;

    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    return v;
}

/* The value of option name at argv[*i] ("--name VALUE" or "--name=VALUE"),
 * advancing *i; NULL when argv[*i] is not that option. *missing is set when
 * the option has no value. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static int account_count(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM account", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int cmd_init(int argc, char **argv)
{
    const char *path = NULL, *keys_path = NULL, *v;
    long demo = -1;
    sqlite3 *db = NULL;
    FILE *keys = NULL;
    char err[512];
    int i, rc = 1;

    for (i = 2; i < argc; i++) {
        bool missing = false;
        if ((v = option_value(argc, argv, &i, "--demo", &missing))) {
            demo = parse_long(v, 0, DEMO_MAX);
            if (demo < 0)
                return usage_error("--demo needs a number of contacts from 0 to 10000000, not "
                                   "\"%s\"",
                                   v);
        } else if ((v = option_value(argc, argv, &i, "--keys-out", &missing))) {
            keys_path = v;
        } else if (missing) {
            return usage_error("%s needs a value", argv[i]);
        } else if (argv[i][0] == '-') {
            return usage_error("unknown option %s for init", argv[i]);
        } else if (!path) {
            path = argv[i];
        } else {
            return usage_error("init takes one database path, not also \"%s\"", argv[i]);
        }
    }
    if (!path)
        return usage_error("%s", "init needs the path of the database to create");

    if (db_open(path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        return 1;
    }
    if (account_count(db) != 0) {
        fprintf(stderr, "crm-server: %s already holds an account; init makes a new database\n",
                path);
        goto out;
    }
    if (keys_path) {
        int fd = open(keys_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 || fchmod(fd, 0600) < 0 || !(keys = fdopen(fd, "w"))) {
            fprintf(stderr, "crm-server: cannot write the keys to %s: %s\n", keys_path,
                    strerror(errno));
            if (fd >= 0)
                close(fd);
            goto out;
        }
    }
    if (seed_account(db, keys ? keys : stdout, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        goto out;
    }
    if (demo > 0 && seed_demo(db, demo, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        goto out;
    }
    if (keys && fflush(keys) != 0) {
        fprintf(stderr, "crm-server: cannot write the keys to %s\n", keys_path);
        goto out;
    }
    rc = 0;
out:
    if (keys)
        fclose(keys);
    else
        fflush(stdout);
    sqlite3_close_v2(db);
    return rc;
}

/* Reads a whole PEM file (at most PEM_MAX bytes) as a string; NULL on error. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (!f)
        return NULL;
    buf = json_xmalloc(PEM_MAX + 1);
    n = fread(buf, 1, PEM_MAX + 1, f);
    fclose(f);
    if (n == 0 || n > PEM_MAX) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Parses "ADDR:PORT" or "[IPV6]:PORT" into addr (the address without its
 * brackets; "localhost" is 127.0.0.1). */
static bool parse_listen(const char *s, char *addr, size_t addrlen, int *port)
{
    const char *colon = strrchr(s, ':');
    const char *start = s;
    size_t n;
    long p;

    if (!colon || colon == s)
        return false;
    n = (size_t)(colon - s);
    if (s[0] == '[') {
        if (n < 3 || colon[-1] != ']')
            return false;
        start = s + 1;
        n -= 2;
    } else if (memchr(s, ':', n)) {
        return false; /* an IPv6 address needs its brackets */
    }
    if (n >= addrlen)
        return false;
    p = parse_long(colon + 1, 0, 65535);
    if (p < 0)
        return false;
    memcpy(addr, start, n);
    addr[n] = '\0';
    if (strcmp(addr, "localhost") == 0)
        snprintf(addr, addrlen, "127.0.0.1");
    *port = (int)p;
    return true;
}

static int cmd_serve(int argc, char **argv)
{
    const char *path = NULL, *listen = NULL, *cert_path = NULL, *key_path = NULL, *v;
    const char *test_clock = NULL, *fault_spec = NULL;
    char addr[64] = "127.0.0.1", err[512];
    struct http_opts opts;
    struct http_server *server = NULL;
    struct purge_task *purge = NULL;
    long rate = RATELIMIT_DEFAULT;
    int port = 8080, i, sig = 0, rc = 1;
    char *cert = NULL, *key = NULL;
    sqlite3 *db = NULL;
    sigset_t stop_signals;

    for (i = 2; i < argc; i++) {
        bool missing = false;
        if ((v = option_value(argc, argv, &i, "--listen", &missing))) {
            listen = v;
        } else if ((v = option_value(argc, argv, &i, "--rate-limit", &missing))) {
            rate = parse_long(v, 1, RATE_LIMIT_MAX);
            if (rate < 0)
                return usage_error("--rate-limit needs requests per minute from 1 to 1000000, "
                                   "not \"%s\"",
                                   v);
        } else if ((v = option_value(argc, argv, &i, "--tls-cert", &missing))) {
            cert_path = v;
        } else if ((v = option_value(argc, argv, &i, "--tls-key", &missing))) {
            key_path = v;
        } else if ((v = option_value(argc, argv, &i, "--unsafe-test-clock", &missing))) {
            test_clock = v;
        } else if ((v = option_value(argc, argv, &i, "--unsafe-fault-injection", &missing))) {
            fault_spec = v;
        } else if (missing) {
            return usage_error("%s needs a value", argv[i]);
        } else if (argv[i][0] == '-') {
            return usage_error("unknown option %s for serve", argv[i]);
        } else if (!path) {
            path = argv[i];
        } else {
            return usage_error("serve takes one database path, not also \"%s\"", argv[i]);
        }
    }
    if (!path)
        return usage_error("%s", "serve needs the path of a database made by crm-server init");
    if (listen && !parse_listen(listen, addr, sizeof addr, &port))
        return usage_error(
            "--listen needs ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, not \"%s\"", listen);
    if (!cert_path != !key_path)
        return usage_error("%s", "--tls-cert and --tls-key go together");
    if (test_clock) {
        /* Before any thread starts: db_now() reads the clock function. */
        if (clock_test_enable(test_clock) < 0)
            return usage_error("%s", "--unsafe-test-clock needs the path of an offset file");
        fprintf(stderr,
                "crm-server: TEST CLOCK ON: the time is shifted by the seconds in %s;"
                " never use this option outside tests\n",
                test_clock);
    }
    if (fault_spec) {
        if (fault_enable(fault_spec, err, sizeof err) < 0)
            return usage_error("--unsafe-fault-injection: %s", err);
        fprintf(stderr,
                "crm-server: FAULT INJECTION ON (%s): answers will fail, stall and be "
                "cut on purpose; never use this option outside tests\n",
                fault_spec);
    }
    if (cert_path && !http_tls_supported()) {
        fprintf(stderr, "crm-server: this build of libmicrohttpd has no TLS support, so "
                        "--tls-cert and --tls-key cannot be used; put a TLS proxy in front "
                        "instead\n");
        return EXIT_USAGE;
    }
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "crm-server: %s does not exist: create it with crm-server init %s\n", path,
                path);
        return 1;
    }
    if (cert_path) {
        if (!(cert = read_pem(cert_path)) || !(key = read_pem(key_path))) {
            fprintf(stderr, "crm-server: cannot read the TLS %s file %s\n",
                    cert ? "key" : "certificate", cert ? key_path : cert_path);
            goto out;
        }
    }
    if (db_open(path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        goto out;
    }
    if (account_count(db) != 1) {
        fprintf(stderr, "crm-server: %s holds no account: create it with crm-server init\n", path);
        goto out;
    }
    if (strncmp(addr, "127.", 4) != 0 && strcmp(addr, "::1") != 0)
        fprintf(stderr,
                "crm-server: listening on %s, not loopback: anyone who reaches it may try "
                "keys%s\n",
                addr, cert ? "" : ", and keys cross the network unencrypted");

    /* Threads started from here on leave SIGINT and SIGTERM to sigwait. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    memset(&opts, 0, sizeof opts);
    opts.db_path = path;
    opts.addr = addr;
    opts.port = port;
    opts.rate_limit = rate;
    opts.tls_cert = cert;
    opts.tls_key = key;
    if (http_start(&opts, &server, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        goto out;
    }
    if (purge_start(path, clock_test_enabled() ? CLOCK_TEST_PURGE_MS : PURGE_INTERVAL_MS, &purge,
                    err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        goto out;
    }
    bool v6 = strchr(addr, ':') != NULL;
    printf("listening on %s://%s%s%s:%d%s\n", cert ? "https" : "http", v6 ? "[" : "", addr,
           v6 ? "]" : "", http_port(server), ROUTER_PREFIX);
    fflush(stdout);

    if (sigwait(&stop_signals, &sig) == 0)
        fprintf(stderr, "crm-server: %s received, stopping\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    rc = 0;
out:
    http_stop(&server);
    purge_stop(&purge);
    sqlite3_close_v2(db);
    free(cert);
    free(key);
    return rc;
}

int main(int argc, char **argv)
{
    json_init();
    if (argc < 2)
        return usage_error("%s", "a command is required");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help_text, stdout);
        fputs("\n", stdout);
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("crm-server %s\n", CRM_SERVER_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "init") == 0)
        return cmd_init(argc, argv);
    if (strcmp(argv[1], "serve") == 0)
        return cmd_serve(argc, argv);
    return usage_error("unknown command \"%s\"", argv[1]);
}

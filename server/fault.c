/* Test-only fault injection (server/fault.h): a seeded xorshift PRNG draws
 * one kind per request; refusals replace the handler, the rest spoil the
 * body the handler made. */
#include "server/fault.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/status.h"

#define FAULT_KINDS 8

static struct {
    bool on;
    uint64_t state;
    long latency_ms;
    double p[FAULT_KINDS]; /* by enum fault_kind; p[FAULT_NONE] unused */
    long ratelimit_s;
    long stall_s;
    char only[16];
} cfg;

static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const names[FAULT_KINDS] = {
    "none", "error500", "error503", "ratelimit", "malformed", "truncate", "close", "stall",
};

const char *fault_name(enum fault_kind k)
{
    return (unsigned)k < FAULT_KINDS ? names[k] : "?";
}

bool fault_enabled(void)
{
    return cfg.on;
}

static bool parse_prob(const char *v, double *p, long *secs)
{
    char *end;

    errno = 0;
    *p = strtod(v, &end);
    if (errno || end == v || *p < 0 || *p > 1)
        return false;
    if (*end == ':' && secs) {
        const char *s = end + 1;
        *secs = strtol(s, &end, 10);
        if (errno || end == s || *secs < 1 || *secs > 3600)
            return false;
    }
    return *end == '\0';
}

int fault_enable(const char *spec, char *err, size_t errlen)
{
    char buf[FAULT_SPEC_MAX], *item, *save = NULL, *end;
    double sum = 0;
    int k;

    memset(&cfg, 0, sizeof cfg);
    cfg.state = 0x9e3779b97f4a7c15ULL;
    cfg.ratelimit_s = 1;
    cfg.stall_s = FAULT_STALL_DEFAULT;
    if (!spec || strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "the fault spec is empty or longer than %d bytes",
                 FAULT_SPEC_MAX - 1);
        return -1;
    }
    memcpy(buf, spec, strlen(spec) + 1);
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *v = strchr(item, '=');
        bool good = false;
        if (!v) {
            snprintf(err, errlen, "fault spec item \"%.40s\" has no '='", item);
            return -1;
        }
        *v++ = '\0';
        if (strcmp(item, "seed") == 0) {
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            good = !errno && end != v && !*end;
            if (good && s)
                cfg.state = s;
        } else if (strcmp(item, "latency") == 0) {
            errno = 0;
            cfg.latency_ms = strtol(v, &end, 10);
            good = !errno && end != v && cfg.latency_ms >= 0 && cfg.latency_ms <= 60000 &&
                   (!*end || strcmp(end, "ms") == 0);
        } else if (strcmp(item, "only") == 0) {
            good = *v && strlen(v) < sizeof cfg.only;
            if (good)
                memcpy(cfg.only, v, strlen(v) + 1);
        } else {
            for (k = 1; k < FAULT_KINDS; k++)
                if (strcmp(item, names[k]) == 0)
                    break;
            if (k < FAULT_KINDS)
                good = parse_prob(v, &cfg.p[k],
                                  k == FAULT_RATELIMIT ? &cfg.ratelimit_s
                                  : k == FAULT_STALL   ? &cfg.stall_s
                                                       : NULL);
            if (good)
                sum += cfg.p[k];
        }
        if (!good) {
            snprintf(err, errlen, "fault spec item %.20s=\"%.40s\" is not understood", item, v);
            return -1;
        }
    }
    if (sum > 1.0 + 1e-9) {
        snprintf(err, errlen, "the fault probabilities add up to %.3f, more than 1", sum);
        return -1;
    }
    cfg.on = true;
    return 0;
}

/* A uniform draw in [0,1). */
static double draw(void)
{
    uint64_t x;

    pthread_mutex_lock(&rng_lock);
    x = cfg.state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    cfg.state = x;
    pthread_mutex_unlock(&rng_lock);
    return (double)(x >> 11) / 9007199254740992.0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

enum fault_kind fault_before(const char *method, const char *route, struct srv_resp *rs)
{
    enum fault_kind kind = FAULT_NONE;
    double u, acc = 0;
    int k;

    if (!cfg.on)
        return FAULT_NONE;
    if (cfg.latency_ms > 0)
        sleep_ms(cfg.latency_ms);
    if (cfg.only[0] && strcmp(cfg.only, method) != 0)
        return FAULT_NONE;
    u = draw();
    for (k = 1; k < FAULT_KINDS; k++) {
        acc += cfg.p[k];
        if (cfg.p[k] > 0 && u < acc) {
            kind = (enum fault_kind)k;
            break;
        }
    }
    if (kind == FAULT_NONE)
        return kind;
    fprintf(stderr, "crm-server: fault injected: %s %s %s\n", fault_name(kind), method, route);
    if (kind == FAULT_ERROR500) {
        json_error(rs, SRV_INTERNAL, NULL);
    } else if (kind == FAULT_ERROR503) {
        json_error(rs, SRV_UNAVAILABLE, NULL);
    } else if (kind == FAULT_RATELIMIT) {
        json_error(rs, SRV_TOO_MANY, NULL);
        rs->retry_after = cfg.ratelimit_s;
    }
    return kind;
}

bool fault_refuses(enum fault_kind k)
{
    return k == FAULT_ERROR500 || k == FAULT_ERROR503 || k == FAULT_RATELIMIT;
}

/* A spoiled body sent through the stream callback: cut bytes, then
 * optionally a stall, then an error that makes the server close. */
struct cut_body {
    char *body;
    size_t cut;
    long stall_s;
};

static ssize_t cut_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct cut_body *c = cls;
    size_t n;

    if (pos < c->cut) {
        n = c->cut - (size_t)pos;
        if (n > max)
            n = max;
        memcpy(buf, c->body + pos, n);
        return (ssize_t)n;
    }
    if (c->stall_s > 0) {
        sleep_ms(c->stall_s * 1000);
        c->stall_s = 0;
    }
    return -2;
}

static void cut_free(void *cls)
{
    struct cut_body *c = cls;

    free(c->body);
    free(c);
}

void fault_after(enum fault_kind k, struct srv_resp *rs)
{
    struct cut_body *c;

    if (k == FAULT_NONE || fault_refuses(k) || rs->stream_read || !rs->body)
        return;
    if (k == FAULT_MALFORMED) {
        rs->len /= 2; /* half of a JSON document is not one */
        return;
    }
    c = json_xmalloc(sizeof *c);
    c->body = rs->body;
    c->cut = k == FAULT_CLOSE ? 0 : rs->len / 2;
    c->stall_s = k == FAULT_STALL ? cfg.stall_s : 0;
    rs->body = NULL;
    rs->len = 0;
    rs->stream_read = cut_read;
    rs->stream_free = cut_free;
    rs->stream_cls = c;
}

/* The per-account request limit: a fixed window of N requests per minute,
 * shared by every thread of the server. */
#ifndef CRM_SERVER_RATELIMIT_H
#define CRM_SERVER_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_DEFAULT   6000  /* requests per window when --rate-limit is not given */
#define RATELIMIT_WINDOW_MS 60000 /* one minute */

struct ratelimit; /* opaque: server/ratelimit.c */

/* What one request learned from the limiter. */
struct ratelimit_verdict {
    bool allowed;
    long limit;         /* X-RateLimit-Limit */
    long remaining;     /* X-RateLimit-Remaining, after this request */
    long retry_after_s; /* when refused: whole seconds until the window ends (>= 1) */
};

/* A limiter of limit requests per window_ms (limit >= 1, window_ms >= 1).
 * Returns an owned object (ratelimit_free). */
struct ratelimit *ratelimit_new(long limit, int64_t window_ms);
/* Frees *pp (NULL allowed) and NULLs it. */
void ratelimit_free(struct ratelimit **pp);

/* Counts one request at now_ms (a monotonic clock in milliseconds). A window
 * opens with the first request after the previous one ended. Thread-safe. */
struct ratelimit_verdict ratelimit_take(struct ratelimit *rl, int64_t now_ms);

#endif

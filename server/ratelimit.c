/* A fixed-window request counter for the account, guarded by one mutex. */
#include "server/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>

#include "server/json.h"

struct ratelimit {
    pthread_mutex_t lock;
    long limit;
    int64_t window_ms;
    int64_t window_start;
    long used;
    bool started;
};

struct ratelimit *ratelimit_new(long limit, int64_t window_ms)
{
    struct ratelimit *rl = json_xmalloc(sizeof *rl);

    pthread_mutex_init(&rl->lock, NULL);
    rl->limit = limit < 1 ? 1 : limit;
    rl->window_ms = window_ms < 1 ? 1 : window_ms;
    rl->window_start = 0;
    rl->used = 0;
    rl->started = false;
    return rl;
}

void ratelimit_free(struct ratelimit **pp)
{
    if (!pp || !*pp)
        return;
    pthread_mutex_destroy(&(*pp)->lock);
    free(*pp);
    *pp = NULL;
}

struct ratelimit_verdict ratelimit_take(struct ratelimit *rl, int64_t now_ms)
{
    struct ratelimit_verdict v;

    pthread_mutex_lock(&rl->lock);
    if (!rl->started || now_ms - rl->window_start >= rl->window_ms || now_ms < rl->window_start) {
        rl->started = true;
        rl->window_start = now_ms;
        rl->used = 0;
    }
    v.limit = rl->limit;
    v.allowed = rl->used < rl->limit;
    v.retry_after_s = 0;
    if (v.allowed) {
        rl->used++;
    } else {
        int64_t left = rl->window_start + rl->window_ms - now_ms;
        v.retry_after_s = (long)((left + 999) / 1000);
        if (v.retry_after_s < 1)
            v.retry_after_s = 1;
    }
    v.remaining = rl->limit - rl->used;
    pthread_mutex_unlock(&rl->lock);
    return v;
}

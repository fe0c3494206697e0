/* Unit tests of server/ratelimit.c: the fixed window, its edges and threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "server/ratelimit.h"

static void test_limit_one(void **state)
{
    struct ratelimit *rl = ratelimit_new(1, 60000);
    struct ratelimit_verdict v;

    (void)state;
    v = ratelimit_take(rl, 1000);
    assert_true(v.allowed);
    assert_int_equal(v.limit, 1);
    assert_int_equal(v.remaining, 0);
    v = ratelimit_take(rl, 1001);
    assert_false(v.allowed);
    assert_int_equal(v.remaining, 0);
    assert_int_equal(v.retry_after_s, 60);
    ratelimit_free(&rl);
    assert_null(rl);
}

static void test_bad_limits_clamped(void **state)
{
    struct ratelimit *rl = ratelimit_new(0, 0);
    struct ratelimit_verdict v;

    (void)state;
    v = ratelimit_take(rl, 5);
    assert_true(v.allowed);
    assert_int_equal(v.limit, 1);
    ratelimit_free(&rl);
    ratelimit_free(&rl); /* NULL is fine */
}

static void test_window_counts_down_and_reopens(void **state)
{
    struct ratelimit *rl = ratelimit_new(5, 60000);
    struct ratelimit_verdict v;
    int i;

    (void)state;
    for (i = 0; i < 5; i++) {
        v = ratelimit_take(rl, 10000 + i);
        assert_true(v.allowed);
        assert_int_equal(v.remaining, 4 - i);
    }
    /* Retry-After: whole seconds to the window's end, rounded up. */
    v = ratelimit_take(rl, 10000 + 30500);
    assert_false(v.allowed);
    assert_int_equal(v.retry_after_s, 30);
    v = ratelimit_take(rl, 10000 + 59999);
    assert_false(v.allowed);
    assert_int_equal(v.retry_after_s, 1);
    /* The window ends at exactly 60 s after its first request. */
    v = ratelimit_take(rl, 10000 + 60000);
    assert_true(v.allowed);
    assert_int_equal(v.remaining, 4);
    ratelimit_free(&rl);
}

static void test_clock_going_back_reopens(void **state)
{
    struct ratelimit *rl = ratelimit_new(1, 60000);
    struct ratelimit_verdict v;

    (void)state;
    assert_true(ratelimit_take(rl, 50000).allowed);
    assert_false(ratelimit_take(rl, 50001).allowed);
    v = ratelimit_take(rl, 100);
    assert_true(v.allowed);
    ratelimit_free(&rl);
}

struct hammer {
    struct ratelimit *rl;
    int allowed;
};

static void *hammer_run(void *arg)
{
    struct hammer *h = arg;
    int i;

    for (i = 0; i < 1000; i++)
        if (ratelimit_take(h->rl, 777).allowed)
            h->allowed++;
    return NULL;
}

static void test_threads_share_one_count(void **state)
{
    struct ratelimit *rl = ratelimit_new(1500, 60000);
    struct hammer h[4] = {{rl, 0}, {rl, 0}, {rl, 0}, {rl, 0}};
    pthread_t t[4];
    int i, total = 0;

    (void)state;
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer_run, &h[i]), 0);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        total += h[i].allowed;
    }
    assert_int_equal(total, 1500);
    assert_int_equal(ratelimit_take(rl, 778).remaining, 0);
    ratelimit_free(&rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_one),
        cmocka_unit_test(test_bad_limits_clamped),
        cmocka_unit_test(test_window_counts_down_and_reopens),
        cmocka_unit_test(test_clock_going_back_reopens),
        cmocka_unit_test(test_threads_share_one_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

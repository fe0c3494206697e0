/* Calendar-month arithmetic for the deadlines of data subject requests, on
 * proleptic Gregorian dates in UTC, without the C library's time zone state. */
#include "server/duedate.h"

#include <string.h>

#define DAY_S 86400LL

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return days[m - 1] + (m == 2 && is_leap(y));
}

/* Days since 1970-01-01 of y-m-d (m 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The civil date of z days since 1970-01-01. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t duedate_add_months(int64_t t, int months)
{
    int64_t days = floor_div(t, DAY_S);
    int64_t secs = t - days * DAY_S;
    int64_t y;
    int m, d, total;

    civil_from_days(days, &y, &m, &d);
    total = (m - 1) + months;
    y += total / 12;
    m = total % 12 + 1;
    if (d > month_days(y, m))
        d = month_days(y, m);
    return days_from_civil(y, m, d) * DAY_S + secs;
}

int64_t duedate_due(int64_t received)
{
    return duedate_add_months(received, DUEDATE_MONTHS);
}

int64_t duedate_extension_limit(int64_t received)
{
    return duedate_add_months(received, DUEDATE_MONTHS + DUEDATE_EXTENSION_MAX);
}

bool duedate_extension_ok(int64_t received, int64_t extended_to)
{
    return extended_to > duedate_due(received) && extended_to <= duedate_extension_limit(received);
}

int64_t duedate_days_left(int64_t due, int64_t now)
{
    return floor_div(due, DAY_S) - floor_div(now, DAY_S);
}

/* n decimal digits of s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int duedate_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    const char *p;

    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return -1;
    p = s + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (strlen(p) < 9 || p[3] != ':' || p[6] != ':')
            return -1;
        h = digits(p + 1, 2);
        mi = digits(p + 4, 2);
        se = digits(p + 7, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
            return -1;
        p += 9;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                return -1;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (*p == 'Z' || *p == 'z')
            p++;
        else if (strcmp(p, "+00:00") == 0)
            p += 6;
        else
            return -1;
    }
    if (*p != '\0')
        return -1;
    *out = days_from_civil(y, mo, d) * DAY_S + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
    return 0;
}

/* The deadlines of a data subject request as GDPR Art. 12(3) counts them: one
 * calendar month after receipt, extendable by two further months. Pure functions. */
#ifndef CRM_SERVER_DUEDATE_H
#define CRM_SERVER_DUEDATE_H

#include <stdbool.h>
#include <stdint.h>

#define DUEDATE_MONTHS        1 /* the answer is due this many months after receipt */
#define DUEDATE_EXTENSION_MAX 2 /* the deadline may be extended by at most this many months */

/* t (unix seconds, UTC) plus months calendar months (months >= 0), same time of
 * day; a day that does not exist in the target month becomes that month's last
 * day (31 January + 1 = 28 or 29 February). */
int64_t duedate_add_months(int64_t t, int months);

/* When the answer to a request received at received is due: one month later. */
int64_t duedate_due(int64_t received);

/* The latest an extension may reach: three months after receipt. */
int64_t duedate_extension_limit(int64_t received);

/* Whether extended_to is an admissible extension of a request received at
 * received: later than the ordinary due date and no later than the limit. */
bool duedate_extension_ok(int64_t received, int64_t extended_to);

/* Whole days from now until due, rounded towards the past: 0 on the due day
 * itself once it has started, negative when overdue (-1 a day late). */
int64_t duedate_days_left(int64_t due, int64_t now);

/* Parses an ISO-8601 UTC time "YYYY-MM-DDTHH:MM:SSZ" (also "+00:00" and
 * fractional seconds) or a date "YYYY-MM-DD" (midnight UTC), years 1970 to
 * 9999. Returns 0 and sets *out, or -1 when s is not one. */
int duedate_parse_iso(const char *s, int64_t *out);

#endif

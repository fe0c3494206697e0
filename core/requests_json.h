/* JSON <-> records of the privacy requests queue (API.md 4.9): the requests a
 * server lists, and the bodies that create and update one. */
#ifndef CRM_REQUESTS_JSON_H
#define CRM_REQUESTS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* One data subject request; every string sanitized, owned, NULL when absent. */
struct privacy_request {
    int64_t id;
    char *type;          /* access, erasure, rectification, portability */
    char *subject_email; /* NULL once closed */
    char *subject_ref;   /* set once closed */
    char *received_at;   /* ISO-8601 UTC */
    char *due_at;
    char *extended_to;
    char *extension_reason;
    char *subject_told_at;
    char *status; /* new, verified, in_progress, done, rejected */
    char *outcome;
    int64_t contact_id; /* 0: not linked */
    int64_t receipt_id; /* the audit entry of the close; 0: none */
    char *receipt_at;
};

/* A change to a request: NULL or 0 members are left out of the body. */
struct privacy_request_change {
    const char *status;
    int64_t contact_id;
    const char *extended_to; /* ISO date or time */
    const char *extension_reason;
    const char *subject_told_at;
    const char *outcome;
};

/* {"privacy_requests":[...]} → *out (n of them; free each with
 * requests_json_clear, then the array). */
enum crm_status requests_json_list(const char *body, size_t len, struct privacy_request **out,
                                   size_t *n, char *err, size_t errlen);
/* {"privacy_request":{...}} → *out. */
enum crm_status requests_json_one(const char *body, size_t len, struct privacy_request *out,
                                  char *err, size_t errlen);
void requests_json_clear(struct privacy_request *r);

/* The body of POST /privacy_requests (malloc'd; *len its length);
 * received_at may be NULL (the server takes now). */
char *requests_json_create_body(const char *type, const char *email, const char *received_at,
                                size_t *len);
/* The body of PUT /privacy_requests/{id}. */
char *requests_json_change_body(const struct privacy_request_change *ch, size_t *len);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (fraction allowed) or "YYYY-MM-DD" as unix
 * seconds UTC. Returns 0, or -1 when s is not such a time. */
int requests_json_time(const char *s, int64_t *out);

/* Whole days from now until due (negative: overdue by that many days),
 * counted on UTC calendar days. */
int64_t requests_json_days_left(int64_t due, int64_t now);

/* Whether status closes a request (done, rejected). */
bool requests_json_closed(const char *status);

#endif

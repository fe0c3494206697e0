/* HTTP for the API client, on libcurl's multi interface: one connection cache
 * per session, the API key in locked memory, retries on timers in the loop. */
#ifndef CRM_HTTP_H
#define CRM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

struct http;     /* opaque: one session (a multi handle and its connection cache) */
struct http_req; /* opaque: one request, across its retries */

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE };

struct http_opts {
    const char *url;         /* base URL; https, or http to a loopback host only */
    const char *api_key;     /* copied into locked memory */
    const char *ca_file;     /* extra CA bundle, or NULL */
    const char *debug_log;   /* request log path (0600, no key, no query), or NULL */
    long connect_timeout_ms; /* 0: 5000 */
    long stall_timeout_ms;   /* 0: 15000 */
    size_t max_body;         /* 0: 16 MiB */
    int max_retries;         /* <0: none; 0: 3 */
    long retry_budget_ms;    /* 0: 30000 */
    int max_connections;     /* connections to the host at once; 0: 1, at most
                                HTTP_MAX_CONNECTIONS */
};

/* The most connections a session opens to its host at once. */
#define HTTP_MAX_CONNECTIONS 8

/* What one request came to, handed to its callback. status is CRM_OK whenever
 * an HTTP response arrived, whatever its code; otherwise the transport error
 * (CRM_ERR_CONNECT, _TIMEOUT, _TLS, _TOO_LARGE, _CANCELLED, ...) with a
 * sentence in error. body is NUL-terminated (len excludes the NUL); the
 * callback may take it (set body to NULL and free() it later), else it is
 * freed when the callback returns. */
struct http_response {
    enum crm_status status;
    long code;          /* HTTP status code; 0 when no response arrived */
    char *body;         /* never NULL in the callback, "" when empty */
    size_t len;         /* body bytes */
    long retry_after_s; /* the last response's Retry-After, else 0 */
    int attempts;       /* 1, plus the retries made */
    const char *error;  /* sentence for a transport error; "" on CRM_OK */
};

typedef void (*http_done_fn)(struct http_response *res, void *ud);

/* Opens a session. Refuses (CRM_ERR_URL, a sentence in err) a URL that is not
 * https, unless it is http to 127.0.0.0/8, ::1 or localhost; refuses a URL
 * with credentials in it. CRM_ERR_KEY when api_key is NULL or empty,
 * CRM_ERR_CONFIG when the debug log cannot be opened or is readable by others.
 * On failure *out stays NULL. */
enum crm_status http_new(const struct http_opts *opts, struct http **out, char *err, size_t errlen);
/* Aborts every request without calling its callback, wipes the key, closes
 * the connections and the log; NULLs *pp. Not from inside a callback. */
void http_free(struct http **pp);

/* Queues a request for base URL + path (path starts with '/', query included,
 * already escaped). body/body_len (copied; may be NULL) is sent as
 * application/json with POST and PUT. GET and DELETE are retried on 408,
 * 429, 5xx (not 501) and on connection failures, up to max_retries times and
 * within retry_budget_ms, exponential backoff with jitter, Retry-After as a
 * minimum; POST and PUT never are. cb is called exactly once, from
 * http_dispatch() or http_cancel(). Returns the request (valid until its
 * callback returns) or NULL when it could not be queued (cb not called). */
struct http_req *http_request(struct http *h, enum http_method method, const char *path,
                              const char *body, size_t body_len, http_done_fn cb, void *ud);

/* As http_request, with the header "X-Crm-Source: source" (lower-case letters
 * and '_', at most 32) telling the server where the change came from
 * ("quick_action"); NULL source is http_request. NULL for a bad source. */
struct http_req *http_request_source(struct http *h, enum http_method method, const char *path,
                                     const char *body, size_t body_len, const char *source,
                                     http_done_fn cb, void *ud);

/* A sink for a streamed body. data receives the body of a 2xx answer as it
 * arrives (return false to stop the transfer: it then ends with CRM_ERR_IO);
 * header (may be NULL) receives each response header line, CRLF included. */
struct http_stream {
    bool (*data)(const char *buf, size_t len, void *ud);
    void (*header)(const char *line, size_t len, void *ud);
    void *ud;
};

/* A GET like http_request whose 2xx body goes to stream (borrowed: it must
 * outlive the request) instead of memory, with no size cap; an error answer
 * (non-2xx) is kept in res->body, capped, as usual. Never retried. */
struct http_req *http_request_stream(struct http *h, const char *path,
                                     const struct http_stream *stream, http_done_fn cb, void *ud);

/* Cancels req if it is still in flight or waiting to retry: its callback is
 * called now with CRM_ERR_CANCELLED. An unknown or finished req is ignored. */
void http_cancel(struct http *h, struct http_req *req);

/* Waits up to timeout_ms (-1: no limit) for transfer activity, a retry timer,
 * or extra_fd (-1: none) to become readable. Returns 1 when extra_fd is
 * readable, else 0. With nothing in flight and no extra_fd it returns at once. */
int http_wait(struct http *h, int extra_fd, int timeout_ms);
/* Moves transfers on, starts due retries, calls the callbacks of the
 * requests that finished. Callbacks may queue or cancel requests. */
void http_dispatch(struct http *h);
/* Requests in flight or waiting to retry. */
int http_pending(const struct http *h);
/* Connections opened so far in this session. */
long http_connections(const struct http *h);

/* Percent-encodes s for a query value or a path segment (RFC 3986
 * unreserved characters stay). Returns a malloc'd string; aborts on OOM. */
char *http_escape(const char *s);

/* The name of a method ("GET", ...); static storage. */
const char *http_method_name(enum http_method m);

#endif

/* The HTTP side of crm-server: libmicrohttpd with an internal pool of epoll
 * threads, each with its own SQLite connection; bodies accumulated with a
 * cap; the rate limit, authentication and the route table applied to every
 * request under ROUTER_PREFIX; one log line per request. */
#ifndef CRM_SERVER_HTTP_H
#define CRM_SERVER_HTTP_H

#include <stddef.h>

#define HTTP_BODY_MAX (1024 * 1024) /* request bodies: larger answers 413 */
#define HTTP_THREADS  4
#define HTTP_KEY_MAX  256 /* bytes of an API key considered */

struct http_opts {
    const char *db_path;
    const char *addr;     /* an IPv4 address to listen on */
    int port;             /* 0: a free port */
    long rate_limit;      /* requests per minute for the account */
    const char *tls_cert; /* PEM text, or NULL for plain HTTP */
    const char *tls_key;  /* PEM text, with tls_cert */
};

struct http_server; /* opaque: server/http.c */

/* Whether this libmicrohttpd was built with TLS. */
int http_tls_supported(void);

/* Binds, listens and starts serving. On failure returns -1, writes a
 * sentence into err and leaves *out NULL. */
int http_start(const struct http_opts *opts, struct http_server **out, char *err, size_t errlen);

/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);

/* Stops serving, waits for the threads (closing their database
 * connections), frees *pp and NULLs it. NULL is allowed. */
void http_stop(struct http_server **pp);

#endif

/* libmicrohttpd glue: one request becomes a struct srv_req for the route
 * table, and its struct srv_resp becomes the response. Nothing here parses
 * HTTP: the library does; this file only caps bodies, applies the rate
 * limit and the key, and logs the route name (never the raw path or query). */
#include "server/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/db.h"
#include "server/fault.h"
#include "server/handlers_activities.h"
#include "server/handlers_public.h"
#include "server/handlers_users.h"
#include "server/json.h"
#include "server/ratelimit.h"
#include "server/router.h"
#include "server/status.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct ratelimit *limit;
    char *db_path;
    int listen_fd;
    int port;
    bool tls; /* links the server writes start with https */
};

/* The state of one request while its body arrives. */
struct http_call {
    struct timespec start;
    char *body;
    size_t len, cap;
    bool too_large;
    bool answered; /* a response is queued: ignore what follows */
};

static pthread_key_t thread_db_key;
static pthread_once_t thread_db_once = PTHREAD_ONCE_INIT;

static void thread_db_close(void *p)
{
    sqlite3_close_v2(p);
}

static void thread_db_key_make(void)
{
    pthread_key_create(&thread_db_key, thread_db_close);
}

/* This thread's connection, opened on first use; closed when the thread ends. */
static sqlite3 *thread_db(const struct http_server *s)
{
    sqlite3 *db;
    char err[256];

    pthread_once(&thread_db_once, thread_db_key_make);
    db = pthread_getspecific(thread_db_key);
    if (db)
        return db;
    if (db_open(s->db_path, &db, err, sizeof err) < 0) {
        fprintf(stderr, "crm-server: %s\n", err);
        return NULL;
    }
    pthread_setspecific(thread_db_key, db);
    return db;
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *conn_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* The key of "Authorization: Token token=KEY" (quotes allowed), or NULL. */
static const char *auth_key(const char *header, size_t *len)
{
    static const char scheme[] = "Token token=";
    const char *k;
    size_t n;

    if (!header || strncmp(header, scheme, sizeof scheme - 1) != 0)
        return NULL;
    k = header + sizeof scheme - 1;
    n = strlen(k);
    if (n >= 2 && k[0] == '"' && k[n - 1] == '"') {
        k++;
        n -= 2;
    }
    if (n == 0 || n > HTTP_KEY_MAX)
        return NULL;
    *len = n;
    return k;
}

/* A method name fit for the log: upper-case letters only. */
static const char *log_method(const char *m)
{
    size_t i;

    for (i = 0; m[i]; i++)
        if (m[i] < 'A' || m[i] > 'Z' || i >= 10)
            return "?";
    return i ? m : "?";
}

static void log_request(const char *method, const char *route, int status,
                        const struct timespec *start)
{
    struct timespec now;
    char when[32];
    double ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
    db_iso_time((int64_t)time(NULL), when, sizeof when);
    fprintf(stderr, "%s %s %s %d %.3fms\n", when, log_method(method), route, status, ms);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct srv_resp *rs, bool api,
                                     const struct ratelimit_verdict *rv)
{
    struct MHD_Response *resp;
    enum MHD_Result ok;
    char num[32];

    if (rs->stream_read) {
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, rs->stream_read,
                                                 rs->stream_cls, rs->stream_free);
        if (!resp && rs->stream_free)
            rs->stream_free(rs->stream_cls);
        rs->stream_read = NULL;
        if (!resp)
            return MHD_NO;
    } else {
        if (!rs->body)
            json_error(rs, SRV_INTERNAL, NULL);
        resp = MHD_create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            return MHD_NO;
        rs->body = NULL;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->content_type ? rs->content_type
                                             : "application/json; charset=utf-8");
    if (rs->header_name[0])
        MHD_add_response_header(resp, rs->header_name, rs->header_value);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (api && rv) {
        snprintf(num, sizeof num, "%ld", rv->limit);
        MHD_add_response_header(resp, "X-RateLimit-Limit", num);
        snprintf(num, sizeof num, "%ld", rv->remaining);
        MHD_add_response_header(resp, "X-RateLimit-Remaining", num);
    }
    if (rs->retry_after > 0) {
        snprintf(num, sizeof num, "%ld", rs->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
    }
    if (rs->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rs->allow);
    if (rs->status == SRV_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Token");
    ok = MHD_queue_response(conn, (unsigned)rs->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* "http[s]://HOST" from the Host header into out; false when it is missing
 * or holds anything but a host name or address and a port. */
static bool base_url(struct MHD_Connection *conn, bool tls, char *out, size_t outlen)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    size_t i;

    if (!h || !h[0] || strlen(h) > 255)
        return false;
    for (i = 0; h[i]; i++)
        if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
              (h[i] >= '0' && h[i] <= '9') || strchr(".-:[]", h[i])))
            return false;
    snprintf(out, outlen, "%s://%s", tls ? "https" : "http", h);
    return true;
}

/* A public page: rate-limited like the API, the same body cap, no key. */
static void serve_public(struct http_server *s, struct MHD_Connection *conn, const char *url,
                         const char *method, const struct http_call *call, struct srv_resp *rs)
{
    struct ratelimit_verdict rv = ratelimit_take(s->limit, mono_ms());
    sqlite3 *db;

    if (!rv.allowed) {
        json_error(rs, SRV_TOO_MANY, NULL);
        rs->retry_after = rv.retry_after_s;
    } else if (call->too_large) {
        json_error(rs, SRV_TOO_LARGE, NULL);
    } else if (!(db = thread_db(s))) {
        json_error(rs, SRV_UNAVAILABLE, "The database cannot be opened.");
    } else {
        handlers_public_serve(
            db, method, url,
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
            call->body ? call->body : "", call->len, rs);
    }
}

/* Serves one complete request. */
static enum MHD_Result serve(struct http_server *s, struct MHD_Connection *conn, const char *url,
                             const char *method, struct http_call *call)
{
    static const size_t prefix_len = sizeof ROUTER_PREFIX - 1;
    struct srv_resp rs = {0};
    struct ratelimit_verdict rv;
    struct srv_req rq;
    const struct route *route = NULL;
    const char *route_name = "(no route)", *key;
    cJSON *body = NULL;
    size_t keylen = 0;
    enum fault_kind fk;
    enum MHD_Result ok;
    char err[256], base[300];
    int r;

    call->answered = true;
    /* The public pages (unsubscribe and opt-in links, web forms): no key. */
    if (handlers_public_route(url)) {
        route_name = handlers_public_route(url);
        serve_public(s, conn, url, method, call, &rs);
        ok = send_response(conn, &rs, false, NULL);
        goto out;
    }
    if (strncmp(url, ROUTER_PREFIX, prefix_len) != 0 ||
        (url[prefix_len] != '/' && url[prefix_len] != '\0')) {
        json_error(&rs, SRV_NOT_FOUND, "Not found: the API lives under " ROUTER_PREFIX ".");
        route_name = "(outside the API)";
        ok = send_response(conn, &rs, false, NULL);
        goto out;
    }
    memset(&rq, 0, sizeof rq);
    rv = ratelimit_take(s->limit, mono_ms());
    if (!rv.allowed) {
        json_error(&rs, SRV_TOO_MANY, NULL);
        rs.retry_after = rv.retry_after_s;
        goto send;
    }
    if (call->too_large) {
        json_error(&rs, SRV_TOO_LARGE, NULL);
        goto send;
    }
    if (!(rq.db = thread_db(s))) {
        json_error(&rs, SRV_UNAVAILABLE, "The database cannot be opened.");
        goto send;
    }
    key = auth_key(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION), &keylen);
    r = key ? handlers_users_auth(rq.db, key, keylen, &rq.user) : 0;
    if (r < 0) {
        json_error(&rs, SRV_UNAVAILABLE, "The database is busy; try again.");
        goto send;
    }
    if (r == 0) {
        json_error(&rs, SRV_UNAUTHORIZED, NULL);
        goto send;
    }
    route = router_match(method, url + prefix_len, rq.ids, rs.allow, sizeof rs.allow);
    if (!route) {
        if (rs.allow[0])
            json_error(&rs, SRV_METHOD_NOT_ALLOWED, NULL);
        else
            json_error(&rs, SRV_NOT_FOUND, NULL);
        goto send;
    }
    route_name = route->pattern;
    if ((route->flags & ROUTE_ADMIN) && !rq.user.is_admin) {
        json_error(&rs, SRV_FORBIDDEN, "Only an admin may do this.");
        goto send;
    }
    if (route->flags & ROUTE_BODY) {
        if (json_parse_strict(call->body, call->len, &body, err, sizeof err) < 0) {
            json_error(&rs, SRV_BAD_REQUEST, err);
            goto send;
        }
        if (!cJSON_IsObject(body)) {
            json_error(&rs, SRV_BAD_REQUEST, "The body must be a JSON object.");
            goto send;
        }
    }
    rq.body = body;
    rq.source = handlers_activities_source(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Crm-Source"));
    if (!rq.source)
        rq.source = "api";
    rq.arg = conn_arg;
    rq.arg_ctx = conn;
    rq.base_url = base_url(conn, s->tls, base, sizeof base) ? base : NULL;
    fk = fault_before(method, route_name, &rs);
    if (!fault_refuses(fk))
        route->fn(&rq, &rs);
    fault_after(fk, &rs);
send:
    ok = send_response(conn, &rs, true, &rv);
out:
    log_request(method, route_name, rs.status, &call->start);
    cJSON_Delete(body);
    free(rs.body);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *s = cls;
    struct http_call *call = *con_cls;

    (void)version;
    if (!call) {
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        call = json_xmalloc(sizeof *call);
        memset(call, 0, sizeof *call);
        clock_gettime(CLOCK_MONOTONIC, &call->start);
        *con_cls = call;
        /* A declared length over the cap is refused before the body is read. */
        if (cl && strtoull(cl, NULL, 10) > HTTP_BODY_MAX) {
            call->too_large = true;
            return serve(s, conn, url, method, call);
        }
        return MHD_YES;
    }
    if (call->answered) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!call->too_large && call->len + *upload_size > HTTP_BODY_MAX) {
            call->too_large = true;
            free(call->body);
            call->body = NULL;
            call->len = call->cap = 0;
        }
        if (!call->too_large) {
            if (call->len + *upload_size > call->cap) {
                size_t cap = call->cap ? call->cap : 4096;
                char *grown;
                while (cap < call->len + *upload_size)
                    cap *= 2;
                if (cap > HTTP_BODY_MAX)
                    cap = HTTP_BODY_MAX;
                grown = realloc(call->body, cap);
                if (!grown)
                    return MHD_NO;
                call->body = grown;
                call->cap = cap;
            }
            memcpy(call->body + call->len, upload, *upload_size);
            call->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return serve(s, conn, url, method, call);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct http_call *call = *con_cls;

    (void)cls;
    (void)conn;
    (void)code;
    if (call) {
        free(call->body);
        free(call);
        *con_cls = NULL;
    }
}

/* Small responses leave at once: no Nagle delay waiting for an ACK. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    const union MHD_ConnectionInfo *info;
    int one = 1;

    (void)cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info)
        setsockopt(info->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "crm-server: http: %s%s", msg,
            msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

int http_tls_supported(void)
{
    return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

/* A listening socket on addr (IPv4, or IPv6 without brackets) and port. */
static int listen_socket(const char *addr, int port, int *port_out, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    socklen_t salen;
    int fd, one = 1, flags;
    bool v6 = strchr(addr, ':') != NULL;

    memset(&ss, 0, sizeof ss);
    if (!v6 && inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        salen = sizeof *s4;
    } else if (v6 && inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        salen = sizeof *s6;
    } else {
        snprintf(err, errlen, "%s is not an IPv4 or IPv6 address", addr);
        return -1;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a socket: %s", strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6) /* this address only, not IPv4 as well */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, salen) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &salen) < 0) {
        snprintf(err, errlen, "cannot listen on %s%s%s:%d: %s", v6 ? "[" : "", addr, v6 ? "]" : "",
                 port, strerror(errno));
        close(fd);
        return -1;
    }
    flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    *port_out = ntohs(ss.ss_family == AF_INET6 ? s6->sin6_port : s4->sin_port);
    return fd;
}

int http_start(const struct http_opts *opts, struct http_server **out, char *err, size_t errlen)
{
    struct http_server *s;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    size_t n;

    *out = NULL;
    if (opts->tls_cert && !http_tls_supported()) {
        snprintf(err, errlen, "this libmicrohttpd was built without TLS");
        return -1;
    }
    s = json_xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    n = strlen(opts->db_path);
    s->db_path = json_xmalloc(n + 1);
    memcpy(s->db_path, opts->db_path, n + 1);
    s->limit = ratelimit_new(opts->rate_limit, RATELIMIT_WINDOW_MS);
    s->listen_fd = listen_socket(opts->addr, opts->port, &s->port, err, errlen);
    if (s->listen_fd < 0)
        goto fail;
    {
        /* The logger comes first so that every message goes through it. */
        struct MHD_OptionItem items[] = {
            {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_error, s},
            {MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL},
            {MHD_OPTION_THREAD_POOL_SIZE, HTTP_THREADS, NULL},
            {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s},
            {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s},
            {MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL},
            {MHD_OPTION_CONNECTION_LIMIT, 512, NULL},
            {MHD_OPTION_END, 0, NULL}, /* TLS certificate, when given */
            {MHD_OPTION_END, 0, NULL}, /* TLS key */
            {MHD_OPTION_END, 0, NULL},
        };
        if (opts->tls_cert) {
            flags |= MHD_USE_TLS;
            s->tls = true;
            items[7] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0,
                                               (void *)(uintptr_t)opts->tls_cert};
            items[8] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
                                               (void *)(uintptr_t)opts->tls_key};
        }
        s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, items,
                                     MHD_OPTION_END);
    }
    if (!s->daemon) {
        snprintf(err, errlen, "the HTTP server did not start%s",
                 opts->tls_cert ? " (is the TLS certificate and key pair valid?)" : "");
        close(s->listen_fd);
        goto fail;
    }
    *out = s;
    return 0;
fail:
    ratelimit_free(&s->limit);
    free(s->db_path);
    free(s);
    return -1;
}

int http_port(const struct http_server *s)
{
    return s->port;
}

void http_stop(struct http_server **pp)
{
    struct http_server *s;

    if (!pp || !*pp)
        return;
    s = *pp;
    /* MHD_stop_daemon joins the pool threads (their connections close) and
     * closes the listening socket it was given. */
    MHD_stop_daemon(s->daemon);
    ratelimit_free(&s->limit);
    free(s->db_path);
    free(s);
    *pp = NULL;
}

/* HTTP for the API client: the only libcurl user. One multi handle per session
 * keeps the connection cache, so a session's requests share one connection. */
#include "core/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HTTP_POOL_MAX        4
#define HTTP_KEY_MAX         1024
#define HTTP_BACKOFF_BASE_MS 500
#define HTTP_BACKOFF_CAP_MS  10000
#define HTTP_USER_AGENT      "crmtui/1"
#define HTTP_AUTH_PREFIX     "Authorization: Token token="

struct http_req {
    struct http_req *prev, *next; /* in h->reqs while in flight or waiting */
    struct http *h;
    CURL *easy; /* while a transfer runs */
    enum http_method method;
    char *url;
    char *log_path; /* the path without its query: search text stays out of logs */
    char *body;
    size_t body_len;
    http_done_fn cb;
    void *ud;

    char *buf; /* response body of the current attempt */
    size_t len, cap;
    bool too_large;
    const struct http_stream *stream; /* a streamed request: 2xx bodies go here */

    int attempts;
    bool waiting; /* between attempts, due at due_ms */
    uint64_t due_ms;
    uint64_t first_ms, attempt_ms;
    long retry_after_s;
    char curl_err[CURL_ERROR_SIZE];
    char sentence[256];
    struct curl_slist auth_src;  /* with a source: the key node ahead of src_tail */
    struct curl_slist *src_tail; /* Accept, Content-Type, Expect, X-Crm-Source */
};

struct http {
    CURLM *multi;
    char *base; /* without a trailing slash */
    const char *protocols;
    bool loopback;
    char *ca_file;
    long connect_ms, stall_ms, budget_ms;
    size_t max_body;
    int max_retries;
    int log_fd;

    char *auth; /* "Authorization: Token token=KEY" in locked memory */
    size_t auth_map;
    struct curl_slist auth_get, auth_body; /* hand-built heads pointing at auth */
    struct curl_slist *tail_get, *tail_body;

    CURL *pool[HTTP_POOL_MAX];
    int n_pool;
    struct http_req *reqs;
    int n_reqs;
    long connections;
    uint64_t rng;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t rng_next(struct http *h)
{
    /* xorshift64*: jitter only, nothing secret depends on it */
    h->rng ^= h->rng >> 12;
    h->rng ^= h->rng << 25;
    h->rng ^= h->rng >> 27;
    return h->rng * 2685821657736338717ull;
}

const char *http_method_name(enum http_method m)
{
    switch (m) {
    case HTTP_POST:
        return "POST";
    case HTTP_PUT:
        return "PUT";
    case HTTP_DELETE:
        return "DELETE";
    case HTTP_GET:
    default:
        return "GET";
    }
}

char *http_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, (int)strnlen(s, INT_MAX / 4));
    char *out;
    if (!e)
        abort();
    out = xstrdup(e);
    curl_free(e);
    return out;
}

/* ---- the key, in memory that is locked, kept out of core dumps, wiped ---- */

static char *locked_alloc(size_t len, size_t *map_len)
{
    long pg = sysconf(_SC_PAGESIZE);
    size_t page = pg > 0 ? (size_t)pg : 4096;
    size_t n = (len + page - 1) / page * page;
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    /* Best effort: RLIMIT_MEMLOCK may be tiny; the wipe and DONTDUMP still hold. */
    (void)mlock(p, n);
#ifdef MADV_DONTDUMP
    (void)madvise(p, n, MADV_DONTDUMP);
#endif
    *map_len = n;
    return p;
}

static void locked_free(char *p, size_t map_len)
{
    if (!p)
        return;
    explicit_bzero(p, map_len);
    munlock(p, map_len);
    munmap(p, map_len);
}

/* ---- URL policy ---- */

static bool host_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    char buf[64];
    size_t n = strlen(host);

    if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
        return true;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (n >= 2 && n < sizeof buf && host[0] == '[' && host[n - 1] == ']') {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        if (inet_pton(AF_INET6, buf, &a6) == 1)
            return IN6_IS_ADDR_LOOPBACK(&a6);
    }
    return false;
}

static enum crm_status check_url(struct http *h, const char *url, char *err, size_t errlen)
{
    enum crm_status st = CRM_ERR_URL;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL, *query = NULL, *frag = NULL;

    if (!u)
        abort();
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        snprintf(err, errlen,
                 "the server URL could not be read; write it as https://HOST/crm/sales/api");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(err, errlen, "the server URL has no scheme or host");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        snprintf(err, errlen,
                 "the server URL must not hold a user name or password; the API key is sent apart");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
        snprintf(err, errlen, "the server URL must end at the API path, without ? or #");
        goto out;
    }
    h->loopback = host_is_loopback(host);
    if (strcasecmp(scheme, "https") == 0) {
        h->protocols = "https";
    } else if (strcasecmp(scheme, "http") == 0 && h->loopback) {
        h->protocols = "http";
    } else if (strcasecmp(scheme, "http") == 0) {
        snprintf(err, errlen,
                 "refusing http:// to %s: the API key would cross the network in clear; use "
                 "https:// (http is allowed to this machine only)",
                 host);
        goto out;
    } else {
        snprintf(err, errlen, "the server URL must start with https://");
        goto out;
    }
    st = CRM_OK;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(query);
    curl_free(frag);
    curl_url_cleanup(u);
    return st;
}

/* ---- the debug log ---- */

static enum crm_status open_log(struct http *h, const char *path, char *err, size_t errlen)
{
    struct stat sb;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the debug log %s: %s", path, strerror(errno));
        return CRM_ERR_CONFIG;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & 077) != 0 ||
        sb.st_uid != geteuid()) {
        snprintf(err, errlen,
                 "the debug log %s must be a regular file of yours that others cannot read "
                 "(chmod 600 it)",
                 path);
        close(fd);
        return CRM_ERR_CONFIG;
    }
    h->log_fd = fd;
    return CRM_OK;
}

static void log_attempt(struct http *h, const struct http_req *r, long code, const char *what,
                        long new_conns)
{
    char line[512], stamp[32];
    struct tm tm;
    time_t t = time(NULL);
    int n;

    if (h->log_fd < 0)
        return;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    n = snprintf(line, sizeof line, "%s %s %.200s %ld %s %llums attempt %d%s\n", stamp,
                 http_method_name(r->method), r->log_path, code, what,
                 (unsigned long long)(now_ms() - r->attempt_ms), r->attempts,
                 new_conns > 0 ? " new-connection" : "");
    if (n > 0) {
        size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        ssize_t w = write(h->log_fd, line, len);
        (void)w; /* a debug log that cannot be written must not stop the work */
    }
}

/* libcurl builds each request's header block, the Authorization line among
 * them, in its own heap memory. These allocators wipe every block before it
 * is freed, so no copy of the key outlives its request in a core file. Each
 * block carries its size in a header of one max_align_t. */
#define WIPE_HDR sizeof(max_align_t)

static void *wipe_malloc(size_t n)
{
    unsigned char *p;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - WIPE_HDR)
        return NULL;
    p = malloc(n + WIPE_HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    return p + WIPE_HDR;
}

static size_t wipe_size(const void *q)
{
    size_t n;

    memcpy(&n, (const unsigned char *)q - WIPE_HDR, sizeof n);
    return n;
}

static void wipe_free(void *q)
{
    unsigned char *p;

    if (!q)
        return;
    p = (unsigned char *)q - WIPE_HDR;
    explicit_bzero(p, wipe_size(q) + WIPE_HDR);
    free(p);
}

static void *wipe_realloc(void *q, size_t n)
{
    void *r;
    size_t old;

    if (!q)
        return wipe_malloc(n);
    r = wipe_malloc(n);
    if (!r)
        return NULL;
    old = wipe_size(q);
    memcpy(r, q, old < n ? old : n);
    wipe_free(q);
    return r;
}

static void *wipe_calloc(size_t nmemb, size_t size)
{
    void *p;

    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    p = wipe_malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

static char *wipe_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = wipe_malloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

/* ---- sessions ---- */

enum crm_status http_new(const struct http_opts *opts, struct http **out, char *err, size_t errlen)
{
    struct http *h;
    enum crm_status st;
    size_t key_len, base_len, auth_len;

    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (!opts || !opts->url || !opts->url[0]) {
        snprintf(err, errlen, "no server URL is configured");
        return CRM_ERR_URL;
    }
    key_len = opts->api_key ? strnlen(opts->api_key, HTTP_KEY_MAX + 1) : 0;
    if (key_len == 0 || key_len > HTTP_KEY_MAX) {
        snprintf(err, errlen, "no usable API key (empty or longer than %d bytes)", HTTP_KEY_MAX);
        return CRM_ERR_KEY;
    }
    for (size_t i = 0; i < key_len; i++) {
        unsigned char ch = (unsigned char)opts->api_key[i];
        if (ch <= 0x20 || ch == 0x7f) {
            snprintf(err, errlen, "the API key holds spaces or control characters");
            return CRM_ERR_KEY;
        }
    }
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, wipe_malloc, wipe_free, wipe_realloc, wipe_strdup,
                             wipe_calloc) != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not start");
        return CRM_ERR_NOMEM;
    }

    h = calloc(1, sizeof *h);
    if (!h)
        abort();
    h->log_fd = -1;
    st = check_url(h, opts->url, err, errlen);
    if (st != CRM_OK)
        goto fail;
    base_len = strlen(opts->url);
    while (base_len > 0 && opts->url[base_len - 1] == '/')
        base_len--;
    h->base = xstrndup(opts->url, base_len);
    h->ca_file = opts->ca_file && opts->ca_file[0] ? xstrdup(opts->ca_file) : NULL;
    h->connect_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 5000;
    h->stall_ms = opts->stall_timeout_ms > 0 ? opts->stall_timeout_ms : 15000;
    h->max_body = opts->max_body > 0 ? opts->max_body : (size_t)16 << 20;
    h->max_retries = opts->max_retries < 0 ? 0 : opts->max_retries == 0 ? 3 : opts->max_retries;
    h->budget_ms = opts->retry_budget_ms > 0 ? opts->retry_budget_ms : 30000;
    h->rng = (now_ms() << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;

    if (opts->debug_log && opts->debug_log[0]) {
        st = open_log(h, opts->debug_log, err, errlen);
        if (st != CRM_OK)
            goto fail;
    }

    auth_len = sizeof HTTP_AUTH_PREFIX - 1 + key_len;
    h->auth = locked_alloc(auth_len + 1, &h->auth_map);
    if (!h->auth) {
        snprintf(err, errlen, "no memory for the API key");
        st = CRM_ERR_NOMEM;
        goto fail;
    }
    memcpy(h->auth, HTTP_AUTH_PREFIX, sizeof HTTP_AUTH_PREFIX - 1);
    memcpy(h->auth + sizeof HTTP_AUTH_PREFIX - 1, opts->api_key, key_len);
    h->auth[auth_len] = '\0';

    /* The auth nodes are ours, so the key is never copied into curl's lists. */
    h->tail_get = curl_slist_append(NULL, "Accept: application/json");
    h->tail_body = curl_slist_append(NULL, "Accept: application/json");
    if (h->tail_body)
        h->tail_body = curl_slist_append(h->tail_body, "Content-Type: application/json");
    if (h->tail_body)
        h->tail_body = curl_slist_append(h->tail_body, "Expect:");
    if (!h->tail_get || !h->tail_body)
        abort();
    h->auth_get.data = h->auth;
    h->auth_get.next = h->tail_get;
    h->auth_body.data = h->auth;
    h->auth_body.next = h->tail_body;

    h->multi = curl_multi_init();
    if (!h->multi)
        abort();
    long conns = opts->max_connections > 0 ? opts->max_connections : 1;
    if (conns > HTTP_MAX_CONNECTIONS)
        conns = HTTP_MAX_CONNECTIONS;
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, conns);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, conns + 1);
    *out = h;
    return CRM_OK;
fail:
    http_free(&h);
    return st;
}

static void req_release(struct http_req *r)
{
    free(r->url);
    free(r->log_path);
    free(r->body);
    free(r->buf);
    curl_slist_free_all(r->src_tail);
    free(r);
}

static void req_unlink(struct http *h, struct http_req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        h->reqs = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
    h->n_reqs--;
}

static void pool_put(struct http *h, CURL *e)
{
    if (h->n_pool < HTTP_POOL_MAX)
        h->pool[h->n_pool++] = e;
    else
        curl_easy_cleanup(e);
}

static CURL *pool_get(struct http *h)
{
    CURL *e;
    if (h->n_pool > 0) {
        e = h->pool[--h->n_pool];
        curl_easy_reset(e);
        return e;
    }
    e = curl_easy_init();
    if (!e)
        abort();
    return e;
}

void http_free(struct http **pp)
{
    struct http *h = pp ? *pp : NULL;
    if (!h)
        return;
    while (h->reqs) {
        struct http_req *r = h->reqs;
        if (r->easy) {
            curl_multi_remove_handle(h->multi, r->easy);
            curl_easy_cleanup(r->easy);
        }
        req_unlink(h, r);
        req_release(r);
    }
    for (int i = 0; i < h->n_pool; i++)
        curl_easy_cleanup(h->pool[i]);
    if (h->multi)
        curl_multi_cleanup(h->multi);
    locked_free(h->auth, h->auth_map);
    curl_slist_free_all(h->tail_get);
    curl_slist_free_all(h->tail_body);
    if (h->log_fd >= 0)
        close(h->log_fd);
    free(h->base);
    free(h->ca_file);
    free(h);
    *pp = NULL;
    curl_global_cleanup();
}

/* ---- one attempt ---- */

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    struct http_req *r = ud;
    size_t n = size * nmemb;
    size_t max = r->h->max_body;

    if (r->stream) {
        long code = 0;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
        if (code >= 200 && code < 300)
            return r->stream->data(data, n, r->stream->ud) ? n : 0;
    }
    if (n > max - r->len) {
        r->too_large = true;
        return 0; /* short write: curl stops with CURLE_WRITE_ERROR */
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        char *nb;
        while (cap < r->len + n + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        nb = realloc(r->buf, cap);
        if (!nb)
            abort();
        r->buf = nb;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    r->buf[r->len] = '\0';
    return n;
}

static size_t on_stream_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct http_req *r = ud;
    size_t n = size * nmemb;

    r->stream->header(data, n, r->stream->ud);
    return n;
}

static void setup_easy(struct http *h, struct http_req *r, CURL *e)
{
    long stall_s = (h->stall_ms + 999) / 1000;

    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, h->protocols);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->connect_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, stall_s > 0 ? stall_s : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_file);
    if (h->loopback)
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*"); /* the key never goes via a proxy in clear */
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
    /* A streamed body has no cap: it goes to its sink, not to memory. */
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(r->stream ? 0 : h->max_body));
    if (r->stream && r->stream->header) {
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_stream_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_err);

    switch (r->method) {
    case HTTP_POST:
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->src_tail ? &r->auth_src : &h->auth_body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
        break;
    case HTTP_PUT:
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->src_tail ? &r->auth_src : &h->auth_body);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
        break;
    case HTTP_DELETE:
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->src_tail ? &r->auth_src : &h->auth_get);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
        break;
    case HTTP_GET:
    default:
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->src_tail ? &r->auth_src : &h->auth_get);
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        break;
    }
}

static bool start_attempt(struct http *h, struct http_req *r)
{
    CURL *e = pool_get(h);

    r->len = 0;
    r->too_large = false;
    r->curl_err[0] = '\0';
    if (r->buf)
        r->buf[0] = '\0';
    setup_easy(h, r, e);
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        pool_put(h, e);
        return false;
    }
    r->easy = e;
    r->waiting = false;
    r->attempts++;
    r->attempt_ms = now_ms();
    return true;
}

static enum crm_status status_from_curl(CURLcode rc, bool too_large)
{
    switch (rc) {
    case CURLE_OK:
        return CRM_OK;
    case CURLE_WRITE_ERROR:
        return too_large ? CRM_ERR_TOO_LARGE : CRM_ERR_IO;
    case CURLE_FILESIZE_EXCEEDED:
        return CRM_ERR_TOO_LARGE;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return CRM_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return CRM_ERR_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
        return CRM_ERR_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return CRM_ERR_URL;
    case CURLE_OUT_OF_MEMORY:
        return CRM_ERR_NOMEM;
    default:
        return CRM_ERR_PROTOCOL;
    }
}

static bool retryable(const struct http_req *r, enum crm_status st, long code)
{
    if (r->stream || (r->method != HTTP_GET && r->method != HTTP_DELETE))
        return false; /* a streamed body already went to its sink */
    if (st == CRM_OK)
        return code == 408 || code == 429 || (code >= 500 && code <= 599 && code != 501);
    return st == CRM_ERR_CONNECT || st == CRM_ERR_TIMEOUT;
}

static uint64_t backoff_ms(struct http *h, const struct http_req *r)
{
    uint64_t d = HTTP_BACKOFF_BASE_MS;
    uint64_t min_ms = (uint64_t)r->retry_after_s * 1000u;
    for (int i = 1; i < r->attempts && d < HTTP_BACKOFF_CAP_MS; i++)
        d *= 2;
    if (d > HTTP_BACKOFF_CAP_MS)
        d = HTTP_BACKOFF_CAP_MS;
    d = d / 2 + rng_next(h) % (d / 2 + 1); /* jitter in [d/2, d] */
    return d > min_ms ? d : min_ms;
}

static void finish(struct http *h, struct http_req *r, enum crm_status st, long code)
{
    struct http_response res;

    req_unlink(h, r); /* a cancel from inside the callback is now a no-op */
    memset(&res, 0, sizeof res);
    res.status = st;
    res.code = code;
    if (!r->buf)
        r->buf = xstrndup("", 0);
    res.body = r->buf;
    res.len = r->len;
    res.retry_after_s = r->retry_after_s;
    res.attempts = r->attempts;
    res.error = st == CRM_OK ? "" : r->sentence;
    r->cb(&res, r->ud);
    if (res.body == NULL)
        r->buf = NULL; /* taken by the callback */
    req_release(r);
}

static void attempt_done(struct http *h, struct http_req *r, CURLcode rc)
{
    CURL *e = r->easy;
    long code = 0, conns = 0;
    curl_off_t ra = 0;
    enum crm_status st;

    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &conns);
    if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra) != CURLE_OK || ra < 0)
        ra = 0;
    h->connections += conns;
    curl_multi_remove_handle(h->multi, e);
    pool_put(h, e);
    r->easy = NULL;
    r->retry_after_s = (long)(ra > 86400 ? 86400 : ra);

    st = status_from_curl(rc, r->too_large);
    if (st == CRM_OK && code == 0)
        st = CRM_ERR_PROTOCOL;
    if (st != CRM_OK) {
        code = 0;
        if (st == CRM_ERR_TOO_LARGE)
            snprintf(r->sentence, sizeof r->sentence,
                     "the server's answer was larger than %zu bytes", h->max_body);
        else
            snprintf(r->sentence, sizeof r->sentence, "%.60s (%.180s)", crm_strerror(st),
                     r->curl_err[0] ? r->curl_err : curl_easy_strerror(rc));
    }
    log_attempt(h, r, code, st == CRM_OK ? "ok" : curl_easy_strerror(rc), conns);

    if (r->attempts <= h->max_retries && retryable(r, st, code)) {
        uint64_t delay = backoff_ms(h, r);
        uint64_t now = now_ms();
        if (now - r->first_ms + delay <= (uint64_t)h->budget_ms) {
            r->waiting = true;
            r->due_ms = now + delay;
            return;
        }
    }
    finish(h, r, st, code);
}

static struct http_req *request_new(struct http *h, enum http_method method, const char *path,
                                    const char *body, size_t body_len, const char *source,
                                    const struct http_stream *stream, http_done_fn cb, void *ud);

struct http_req *http_request(struct http *h, enum http_method method, const char *path,
                              const char *body, size_t body_len, http_done_fn cb, void *ud)
{
    return http_request_source(h, method, path, body, body_len, NULL, cb, ud);
}

struct http_req *http_request_stream(struct http *h, const char *path,
                                     const struct http_stream *stream, http_done_fn cb, void *ud)
{
    if (!stream || !stream->data)
        return NULL;
    return request_new(h, HTTP_GET, path, NULL, 0, NULL, stream, cb, ud);
}

/* The header list of a request that names its source; NULL for a bad name. */
static struct curl_slist *source_headers(const char *source)
{
    char line[64];
    struct curl_slist *l = NULL;
    size_t n = strlen(source);

    if (n == 0 || n > 32 || strspn(source, "abcdefghijklmnopqrstuvwxyz_") != n)
        return NULL;
    snprintf(line, sizeof line, "X-Crm-Source: %s", source);
    l = curl_slist_append(l, "Accept: application/json");
    if (l)
        l = curl_slist_append(l, "Content-Type: application/json");
    if (l)
        l = curl_slist_append(l, "Expect:");
    if (l)
        l = curl_slist_append(l, line);
    if (!l)
        abort();
    return l;
}

struct http_req *http_request_source(struct http *h, enum http_method method, const char *path,
                                     const char *body, size_t body_len, const char *source,
                                     http_done_fn cb, void *ud)
{
    return request_new(h, method, path, body, body_len, source, NULL, cb, ud);
}

static struct http_req *request_new(struct http *h, enum http_method method, const char *path,
                                    const char *body, size_t body_len, const char *source,
                                    const struct http_stream *stream, http_done_fn cb, void *ud)
{
    struct http_req *r;
    size_t base_len, path_len;
    struct curl_slist *src = NULL;

    if (!h || !path || path[0] != '/' || !cb)
        return NULL;
    if (source && !(src = source_headers(source)))
        return NULL;
    r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->h = h;
    r->method = method;
    r->src_tail = src;
    r->auth_src.data = h->auth;
    r->auth_src.next = src;
    r->cb = cb;
    r->ud = ud;
    base_len = strlen(h->base);
    path_len = strlen(path);
    r->url = xmalloc(base_len + path_len + 1);
    memcpy(r->url, h->base, base_len);
    memcpy(r->url + base_len, path, path_len + 1);
    r->log_path = xstrndup(path, strcspn(path, "?"));
    if (method == HTTP_POST || method == HTTP_PUT) {
        r->body = xstrndup(body ? body : "", body ? body_len : 0);
        r->body_len = body ? body_len : 0;
    }
    r->first_ms = now_ms();
    r->stream = stream;

    r->next = h->reqs;
    if (h->reqs)
        h->reqs->prev = r;
    h->reqs = r;
    h->n_reqs++;
    if (!start_attempt(h, r)) {
        req_unlink(h, r);
        req_release(r);
        return NULL;
    }
    return r;
}

void http_cancel(struct http *h, struct http_req *req)
{
    struct http_req *r;

    if (!h || !req)
        return;
    for (r = h->reqs; r && r != req; r = r->next)
        ;
    if (!r)
        return;
    if (r->easy) {
        long conns = 0;
        curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &conns);
        h->connections += conns;
        curl_multi_remove_handle(h->multi, r->easy);
        pool_put(h, r->easy);
        r->easy = NULL;
    }
    log_attempt(h, r, 0, "cancelled", 0);
    snprintf(r->sentence, sizeof r->sentence, "%s", crm_strerror(CRM_ERR_CANCELLED));
    r->len = 0;
    if (r->buf)
        r->buf[0] = '\0';
    finish(h, r, CRM_ERR_CANCELLED, 0);
}

int http_wait(struct http *h, int extra_fd, int timeout_ms)
{
    struct curl_waitfd wfd;
    int t = timeout_ms < 0 ? 24 * 3600 * 1000 : timeout_ms;
    int numfds = 0;
    uint64_t now = now_ms();

    if (!h->reqs && extra_fd < 0)
        return 0;
    for (struct http_req *r = h->reqs; r; r = r->next) {
        if (r->waiting) {
            uint64_t left = r->due_ms > now ? r->due_ms - now : 0;
            if (left < (uint64_t)t)
                t = (int)left;
        }
    }
    memset(&wfd, 0, sizeof wfd);
    wfd.fd = extra_fd;
    wfd.events = CURL_WAIT_POLLIN;
    if (curl_multi_poll(h->multi, extra_fd >= 0 ? &wfd : NULL, extra_fd >= 0 ? 1u : 0u, t,
                        &numfds) != CURLM_OK)
        return 0;
    return extra_fd >= 0 && (wfd.revents & CURL_WAIT_POLLIN) ? 1 : 0;
}

void http_dispatch(struct http *h)
{
    CURLMsg *m;
    int running = 0, queued = 0;
    uint64_t now = now_ms();
    struct http_req *r, *next;

    for (r = h->reqs; r; r = next) {
        next = r->next;
        if (r->waiting && r->due_ms <= now && !start_attempt(h, r)) {
            snprintf(r->sentence, sizeof r->sentence, "%s", crm_strerror(CRM_ERR_NOMEM));
            finish(h, r, CRM_ERR_NOMEM, 0);
            next = h->reqs; /* the callback may have changed the list */
        }
    }
    curl_multi_perform(h->multi, &running);
    /* One message at a time: a callback may cancel or add other transfers. */
    while ((m = curl_multi_info_read(h->multi, &queued)) != NULL) {
        CURL *e;
        CURLcode rc;
        char *priv = NULL;
        if (m->msg != CURLMSG_DONE)
            continue;
        e = m->easy_handle;
        rc = m->data.result;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
        if (priv)
            attempt_done(h, (struct http_req *)(void *)priv, rc);
    }
}

int http_pending(const struct http *h)
{
    return h ? h->n_reqs : 0;
}

long http_connections(const struct http *h)
{
    return h ? h->connections : 0;
}

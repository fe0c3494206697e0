/* Status codes of core/, declared once with the sentence the status line shows. */
#ifndef CRM_STATUS_H
#define CRM_STATUS_H

#define CRM_STATUS_LIST(X)                                                                         \
    X(CRM_OK, "done")                                                                              \
    X(CRM_ERR_NOMEM, "out of memory")                                                              \
    X(CRM_ERR_INVALID, "invalid input")                                                            \
    X(CRM_ERR_CONFIG, "the configuration has an error")                                            \
    X(CRM_ERR_KEY, "no usable API key")                                                            \
    X(CRM_ERR_URL, "the server URL is not allowed")                                                \
    X(CRM_ERR_CONNECT, "cannot reach the server")                                                  \
    X(CRM_ERR_TIMEOUT, "the server did not answer in time")                                        \
    X(CRM_ERR_TLS, "the secure connection could not be verified")                                  \
    X(CRM_ERR_PROTOCOL, "the server's answer could not be read")                                   \
    X(CRM_ERR_TOO_LARGE, "the server's answer was too large")                                      \
    X(CRM_ERR_BAD_REQUEST, "the server refused the input")                                         \
    X(CRM_ERR_AUTH, "the API key was refused")                                                     \
    X(CRM_ERR_FORBIDDEN, "you are not permitted to do this")                                       \
    X(CRM_ERR_NOT_FOUND, "no such record")                                                         \
    X(CRM_ERR_CONFLICT, "the record's state does not allow this")                                  \
    X(CRM_ERR_REFUSED, "refused by an account setting")                                            \
    X(CRM_ERR_RATE_LIMIT, "the server is rate limiting; try again shortly")                        \
    X(CRM_ERR_SERVER, "the server failed")                                                         \
    X(CRM_ERR_UNAVAILABLE, "not available on this server")                                         \
    X(CRM_ERR_CANCELLED, "cancelled")                                                              \
    X(CRM_ERR_IO, "the file could not be written")                                                 \
    X(CRM_ERR_DISK_FULL, "the disk is full")

enum crm_status {
#define CRM_STATUS_ENUM(id, msg) id,
    CRM_STATUS_LIST(CRM_STATUS_ENUM)
#undef CRM_STATUS_ENUM
        CRM_STATUS_COUNT
};

/* The sentence for a status; never NULL, static storage. */
const char *crm_strerror(enum crm_status st);

/* The status for an HTTP response code (2xx -> CRM_OK). */
enum crm_status crm_status_from_http(long code);

#endif

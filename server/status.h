/* The HTTP statuses crm-server answers with, each with the default message of
 * its error envelope, declared once. */
#ifndef CRM_SERVER_STATUS_H
#define CRM_SERVER_STATUS_H

#define SRV_STATUS_LIST(X)                                                                         \
    X(SRV_OK, 200, "OK")                                                                           \
    X(SRV_CREATED, 201, "Created")                                                                 \
    X(SRV_BAD_REQUEST, 400, "The request is not valid.")                                           \
    X(SRV_UNAUTHORIZED, 401, "Login failed: the API key is missing or not valid.")                 \
    X(SRV_FORBIDDEN, 403, "You are not authorised to perform this operation.")                     \
    X(SRV_NOT_FOUND, 404, "The requested record or route does not exist.")                         \
    X(SRV_METHOD_NOT_ALLOWED, 405, "This method is not allowed on this route.")                    \
    X(SRV_CONFLICT, 409, "The record's state does not allow this operation.")                      \
    X(SRV_TOO_LARGE, 413, "The request body is larger than 1 MiB.")                                \
    X(SRV_UNPROCESSABLE, 422, "An account setting refuses this operation.")                        \
    X(SRV_TOO_MANY, 429, "Too many requests: wait for the time given in Retry-After.")             \
    X(SRV_INTERNAL, 500, "The server failed to complete the request.")                             \
    X(SRV_UNAVAILABLE, 503, "The server is not ready to serve this request.")

enum srv_status {
#define SRV_STATUS_ENUM(id, code, msg) id = code,
    SRV_STATUS_LIST(SRV_STATUS_ENUM)
#undef SRV_STATUS_ENUM
};

/* The default message for an HTTP status; never NULL, static storage. */
static inline const char *srv_status_message(int code)
{
    switch (code) {
#define SRV_STATUS_CASE(id, c, msg)                                                                \
    case c:                                                                                        \
        return msg;
        SRV_STATUS_LIST(SRV_STATUS_CASE)
#undef SRV_STATUS_CASE
    default:
        return "The server answered with an unexpected status.";
    }
}

#endif

/* The public routes (API.md section 4.5), outside the API prefix and without
 * a key: the unsubscribe link /u/{token}, the double opt-in link
 * /optin/{token}, and the web forms /forms/{id} (an HTML form and its
 * form-encoded submission). They answer small HTML pages. */
#ifndef CRM_SERVER_HANDLERS_PUBLIC_H
#define CRM_SERVER_HANDLERS_PUBLIC_H

#include <sqlite3.h>
#include <stddef.h>

#include "server/json.h"

#define FORM_BODY_MAX   8192 /* bytes of a form submission */
#define FORM_VALUE_MAX  254  /* bytes of one decoded value */
#define FORM_FIELDS_MAX 8    /* name=value pairs in one submission */

/* The route name (for the log) when path is a public route, else NULL. */
const char *handlers_public_route(const char *path);

/* Serves a public request: method, path (without query), the Content-Type
 * header (may be NULL) and the raw body. Fills rs with an HTML page. */
void handlers_public_serve(sqlite3 *db, const char *method, const char *path,
                           const char *content_type, const char *body, size_t len,
                           struct srv_resp *rs);

/* Decodes an application/x-www-form-urlencoded body strictly: each pair
 * name=value with %XX escapes and '+' for space; names must be among
 * names[0..n) and appear once; decoded values are valid UTF-8 without
 * control characters, at most FORM_VALUE_MAX bytes; at most FORM_FIELDS_MAX
 * pairs. values[i] (FORM_VALUE_MAX + 1 bytes each) receives the value of
 * names[i], seen[i] whether it was present. Returns 0, or -1 with a sentence
 * in err. */
int handlers_public_form_decode(const char *body, size_t len, const char *const *names, size_t n,
                                char (*values)[FORM_VALUE_MAX + 1], int *seen, char *err,
                                size_t errlen);

#endif

/* Test-only fault injection for crm-server: slow, failed, rate-limited,
 * malformed, cut or stalled responses, drawn from a seeded PRNG. Off unless
 * `serve --unsafe-fault-injection SPEC` enables it; never for real use. */
#ifndef CRM_SERVER_FAULT_H
#define CRM_SERVER_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "server/json.h"

#define FAULT_SPEC_MAX      512
#define FAULT_STALL_DEFAULT 20 /* seconds a stalled response hangs before it closes */

enum fault_kind {
    FAULT_NONE,
    FAULT_ERROR500,  /* 500, the handler not run */
    FAULT_ERROR503,  /* 503, the handler not run */
    FAULT_RATELIMIT, /* 429 with Retry-After, the handler not run */
    FAULT_MALFORMED, /* the handler's status with half its body: not JSON */
    FAULT_TRUNCATE,  /* half the body, then the connection closes */
    FAULT_CLOSE,     /* the connection closes before any body */
    FAULT_STALL,     /* half the body, a long silence, then a close */
};

/* Parses SPEC, comma-separated NAME=VALUE: seed=N, latency=Nms (every
 * answer delayed), error500=P, error503=P, ratelimit=P[:SECONDS],
 * malformed=P, truncate=P, close=P, stall=P[:SECONDS], only=METHOD (faults
 * for that method alone); each P in [0,1], their sum at most 1. Enables the
 * faults for the whole process. Call before any thread starts. Returns 0, or
 * -1 with a sentence in err. */
int fault_enable(const char *spec, char *err, size_t errlen);

/* Whether fault_enable succeeded. */
bool fault_enabled(void);

/* The name of a kind, e.g. "error500". */
const char *fault_name(enum fault_kind k);

/* Before a matched route's handler: sleeps the latency, draws a kind for
 * this request and logs it (with method and route pattern) to stderr. For
 * the kinds that refuse (error500, error503, ratelimit) fills rs with the
 * error. Returns the kind; FAULT_NONE when faults are off. */
enum fault_kind fault_before(const char *method, const char *route, struct srv_resp *rs);

/* Whether the handler must not run for kind k. */
bool fault_refuses(enum fault_kind k);

/* After the handler: rewrites rs's body for the kinds that spoil a body
 * (malformed, truncate, close, stall). Streamed responses are left alone. */
void fault_after(enum fault_kind k, struct srv_resp *rs);

#endif

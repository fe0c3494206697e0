/* The reports of API.md 4.7: listed, served as tables, and exported as CSV
 * to users with the export_reports permission. */
#ifndef CRM_SERVER_HANDLERS_REPORTS_H
#define CRM_SERVER_HANDLERS_REPORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "server/router.h"

/* Appends one CSV cell (RFC 4180) for the text s to out (capacity cap,
 * always NUL-terminated): quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled; text that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or CR) gets a leading apostrophe. Returns the bytes
 * the cell needs; the cell was written whole only when that is < cap - len
 * of what out held. */
size_t handlers_reports_csv_cell(const char *s, char *out, size_t cap);

/* GET /reports (any user): {"reports":["contacts_by_owner",...]}. */
void handlers_reports_list(const struct srv_req *rq, struct srv_resp *rs);

/* GET /reports/NAME (any user): {"report":{"name","columns":[...],"rows":[[...]]}}.
 * GET /reports/NAME/export: the same as text/csv (header row, CRLF); 403
 * without the export_reports permission (admins always have it); writes an
 * audit entry "report.export" naming the report. */
void handlers_reports_contacts_by_owner(const struct srv_req *rq, struct srv_resp *rs);
void handlers_reports_consent_by_purpose(const struct srv_req *rq, struct srv_resp *rs);
void handlers_reports_erasures_by_month(const struct srv_req *rq, struct srv_resp *rs);
void handlers_reports_contacts_by_owner_csv(const struct srv_req *rq, struct srv_resp *rs);
void handlers_reports_consent_by_purpose_csv(const struct srv_req *rq, struct srv_resp *rs);
void handlers_reports_erasures_by_month_csv(const struct srv_req *rq, struct srv_resp *rs);

#endif

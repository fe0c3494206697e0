/* Reports: each one SQL query over the account, served as a table of
 * columns and rows, or as a CSV file safe to open in a spreadsheet. */
#include "server/handlers_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/status.h"

#define CSV_MAX (16 * 1024 * 1024) /* a report larger than this is refused */

struct report {
    const char *name;
    const char *columns[4];
    int n_columns;
    const char *sql; /* its columns in the order of columns; no parameters */
};

static const struct report reports[] = {
    {"contacts_by_owner",
     {"owner_id", "owner", "contacts"},
     3,
     "SELECT c.owner_id, coalesce(u.display_name, '(unassigned)'), count(*)"
     " FROM contacts c LEFT JOIN users u ON u.id = c.owner_id"
     " WHERE c.is_deleted = 0 GROUP BY c.owner_id ORDER BY count(*) DESC, c.owner_id"},
    {"consent_by_purpose",
     {"purpose", "subscribed", "granted", "withdrawn"},
     4,
     "WITH p(purpose) AS (SELECT purpose FROM subscriptions UNION"
     "  SELECT json_extract(action_data, '$.purpose') FROM activities"
     "  WHERE action_type IN ('consent_granted', 'consent_withdrawn')"
     "  AND json_extract(action_data, '$.purpose') IS NOT NULL)"
     " SELECT p.purpose,"
     "  (SELECT count(*) FROM subscriptions s JOIN contacts c ON c.id = s.contact_id"
     "   WHERE s.purpose = p.purpose AND c.is_deleted = 0),"
     "  (SELECT count(*) FROM activities a WHERE a.action_type = 'consent_granted'"
     "   AND json_extract(a.action_data, '$.purpose') = p.purpose),"
     "  (SELECT count(*) FROM activities a WHERE a.action_type = 'consent_withdrawn'"
     "   AND json_extract(a.action_data, '$.purpose') = p.purpose)"
     " FROM p ORDER BY p.purpose"},
    {"erasures_by_month",
     {"month", "forgotten", "purged", "contacts_erased"},
     4,
     "SELECT strftime('%Y-%m', at, 'unixepoch') AS month,"
     "  sum(action IN ('contact.forget', 'company.forget')),"
     "  sum(action IN ('contact.purge', 'company.purge')),"
     "  sum(coalesce(json_extract(counts, '$.contacts'), 0))"
     " FROM audit WHERE action IN ('contact.forget', 'company.forget', 'contact.purge',"
     "  'company.purge') GROUP BY month ORDER BY month"},
};

/* The rows of report r as a JSON array of arrays; NULL on a database error. */
static cJSON *report_rows(sqlite3 *db, const struct report *r)
{
    sqlite3_stmt *st = NULL;
    cJSON *rows = NULL;
    int rc, i;

    if (sqlite3_prepare_v2(db, r->sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    rows = cJSON_CreateArray();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateArray();
        for (i = 0; i < r->n_columns; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                cJSON_AddItemToArray(row, cJSON_CreateNull());
                break;
            case SQLITE_INTEGER:
                cJSON_AddItemToArray(row, cJSON_CreateNumber((double)sqlite3_column_int64(st, i)));
                break;
            default:
                cJSON_AddItemToArray(row,
                                     cJSON_CreateString((const char *)sqlite3_column_text(st, i)));
                break;
            }
        }
        cJSON_AddItemToArray(rows, row);
    }
    if (rc != SQLITE_DONE) {
        cJSON_Delete(rows);
        rows = NULL;
    }
out:
    sqlite3_finalize(st);
    return rows;
}

void handlers_reports_list(const struct srv_req *rq, struct srv_resp *rs)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "reports");
    size_t i;

    (void)rq;
    for (i = 0; i < sizeof reports / sizeof reports[0]; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(reports[i].name));
    json_reply(rs, SRV_OK, root);
}

static void report_show(const struct srv_req *rq, struct srv_resp *rs, const struct report *r)
{
    cJSON *rows = report_rows(rq->db, r), *root, *rep, *cols;
    int i;

    if (!rows) {
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    rep = cJSON_AddObjectToObject(root, "report");
    cJSON_AddStringToObject(rep, "name", r->name);
    cols = cJSON_AddArrayToObject(rep, "columns");
    for (i = 0; i < r->n_columns; i++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(r->columns[i]));
    cJSON_AddItemToObject(rep, "rows", rows);
    json_reply(rs, SRV_OK, root);
}

size_t handlers_reports_csv_cell(const char *s, char *out, size_t cap)
{
    size_t len = strlen(out), need = 0, i;
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula =
        s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    char *p = out + len;
    size_t room = cap > len ? cap - len - 1 : 0;

#define CSV_PUT(c)                                                                                 \
    do {                                                                                           \
        if (need < room)                                                                           \
            p[need] = (c);                                                                         \
        need++;                                                                                    \
    } while (0)
    if (quote)
        CSV_PUT('"');
    if (formula)
        CSV_PUT('\'');
    for (i = 0; s[i]; i++) {
        if (s[i] == '"')
            CSV_PUT('"');
        CSV_PUT(s[i]);
    }
    if (quote)
        CSV_PUT('"');
#undef CSV_PUT
    if (cap > len)
        p[need < room ? need : room] = '\0';
    return need;
}

/* Appends the text s as a cell to the growing buffer *buf (length *len,
 * capacity *cap). Returns 0, or -1 past CSV_MAX. */
static int csv_append(char **buf, size_t *len, size_t *cap, const char *s, bool is_cell)
{
    for (;;) {
        size_t need;
        (*buf)[*len] = '\0';
        if (is_cell) {
            need = handlers_reports_csv_cell(s, *buf, *cap);
        } else {
            need = strlen(s);
            if (*len + need < *cap)
                memcpy(*buf + *len, s, need + 1);
        }
        if (*len + need < *cap) {
            *len += need;
            return 0;
        }
        if (*cap >= CSV_MAX)
            return -1;
        *cap *= 2;
        char *grown = realloc(*buf, *cap);
        if (!grown)
            abort();
        *buf = grown;
    }
}

static void report_csv(const struct srv_req *rq, struct srv_resp *rs, const struct report *r)
{
    size_t len = 0, cap = 4096;
    char *buf = NULL, num[32];
    cJSON *rows = NULL, *row, *cell;
    sqlite3_stmt *st = NULL;
    int i;

    if (!rq->user.may_export_reports) {
        json_error(rs, SRV_FORBIDDEN, "Exporting reports needs the export_reports permission.");
        return;
    }
    if (!(rows = report_rows(rq->db, r)))
        goto fail;
    buf = json_xmalloc(cap);
    for (i = 0; i < r->n_columns; i++)
        if ((i && csv_append(&buf, &len, &cap, ",", false) < 0) ||
            csv_append(&buf, &len, &cap, r->columns[i], true) < 0)
            goto fail;
    if (csv_append(&buf, &len, &cap, "\r\n", false) < 0)
        goto fail;
    cJSON_ArrayForEach(row, rows)
    {
        i = 0;
        cJSON_ArrayForEach(cell, row)
        {
            const char *text = "";
            if (cJSON_IsNumber(cell)) {
                snprintf(num, sizeof num, "%.0f", cell->valuedouble);
                text = num;
            } else if (cJSON_IsString(cell)) {
                text = cell->valuestring;
            }
            if ((i++ && csv_append(&buf, &len, &cap, ",", false) < 0) ||
                csv_append(&buf, &len, &cap, text, cJSON_IsString(cell)) < 0)
                goto fail;
        }
        if (csv_append(&buf, &len, &cap, "\r\n", false) < 0)
            goto fail;
    }
    if (audit_write(rq->db, 0, rq->user.id, "report.export", r->name, NULL, NULL) < 0)
        goto fail;
    cJSON_Delete(rows);
    json_resp_clear(rs);
    rs->status = SRV_OK;
    rs->body = buf;
    rs->len = len;
    rs->content_type = "text/csv; charset=utf-8";
    snprintf(rs->header_name, sizeof rs->header_name, "Content-Disposition");
    snprintf(rs->header_value, sizeof rs->header_value, "attachment; filename=\"%s.csv\"", r->name);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(rows);
    free(buf);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_reports_contacts_by_owner(const struct srv_req *rq, struct srv_resp *rs)
{
    report_show(rq, rs, &reports[0]);
}

void handlers_reports_consent_by_purpose(const struct srv_req *rq, struct srv_resp *rs)
{
    report_show(rq, rs, &reports[1]);
}

void handlers_reports_erasures_by_month(const struct srv_req *rq, struct srv_resp *rs)
{
    report_show(rq, rs, &reports[2]);
}

void handlers_reports_contacts_by_owner_csv(const struct srv_req *rq, struct srv_resp *rs)
{
    report_csv(rq, rs, &reports[0]);
}

void handlers_reports_consent_by_purpose_csv(const struct srv_req *rq, struct srv_resp *rs)
{
    report_csv(rq, rs, &reports[1]);
}

void handlers_reports_erasures_by_month_csv(const struct srv_req *rq, struct srv_resp *rs)
{
    report_csv(rq, rs, &reports[2]);
}

/* Unit tests for core/export.c and core/export_json.c: parsing, JSON
 * completeness and inertness, CSV quoting, vCard escaping and folding, and the
 * atomic, mode-0600 file writing (disk full and unwritable places included). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/export.h"

static char tmpdir[256];

static const char doc_body[] =
    "{\"export\":{\"generated_at\":\"2026-11-29T10:00:00Z\",\n"
    " \"contact\":{\"id\":5005390567,\"first_name\":\"Ana\",\"last_name\":\"Souza, Jr.\","
    "\"display_name\":null,\"email\":\"ana@example.com\","
    "\"emails\":[{\"id\":1,\"value\":\"ana@example.com\",\"is_primary\":true,\"label\":null},"
    "{\"id\":2,\"value\":\"a.s@example.org\",\"is_primary\":false,\"label\":\"home\"}],"
    "\"mobile_number\":\"+55 11 99999-0000\",\"work_number\":\"-5\","
    "\"job_title\":\"=HYPERLINK(\\\"http://x\\\")\",\"department\":\"Sales; East\","
    "\"address\":\"Rua A, 1\\nApto 2\",\"city\":\"S\\u00e3o Paulo\",\"state\":\"SP\","
    "\"zipcode\":\"01000\",\"country\":\"BR\",\"tags\":[\"vip\",\"x\"],"
    "\"custom_field\":{\"cf_a\":true,\"cf_b\":null,\"cf_c\":1.5},\"lead_score\":-5,"
    "\"subscription_types\":[],\"links\":{},\"updated_at\":\"2026-11-20T10:02:03Z\","
    "\"evil\":\"x\\u001b[2J\\u202ey\\u009b\\u200b\\u0007z\\\\w\\\"q\"},\n"
    " \"activities\":[{\"id\":\"a-1\",\"action_type\":\"consent_granted\","
    "\"created_at\":\"2026-10-01T09:13:00Z\",\"user_id\":null,"
    "\"action_data\":{\"channel\":\"email\",\"source\":\"web_form\",\"form_id\":3}},"
    "{\"id\":\"a-2\",\"action_type\":\"@SUM(1)\",\"extra\":\"say \\\"hi\\\"\"}],\n"
    " \"notes\":[{\"id\":9,\"description\":\"first line\\nsecond, with comma\","
    "\"created_at\":\"2026-10-02T00:00:00Z\"}],\n"
    " \"calls\":[],\n"
    " \"chats\":[{\"id\":1,\"messages\":[{\"from\":\"contact\",\"body\":\"hi\"},"
    "{\"from\":\"agent\",\"body\":\"+cmd\"}]}],\n"
    " \"emails\":[{\"id\":4,\"subject\":\"Hello\",\"status\":\"queued\"}]}}\n";

static struct export_doc *parse_ok(const char *body)
{
    struct export_doc *doc = NULL;
    char err[256] = "";
    enum crm_status st = export_doc_parse(body, strlen(body), &doc, err, sizeof(err));
    if (st != CRM_OK)
        fprintf(stderr, "parse: %s\n", err);
    assert_int_equal(st, CRM_OK);
    assert_non_null(doc);
    return doc;
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/crmtui-export-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    setenv("HOME", tmpdir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    if (strstr(tmpdir, "crmtui-export-") == NULL)
        return -1;
    snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", tmpdir, tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_parse(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    assert_int_equal(doc->contact_id, 5005390567LL);
    assert_string_equal(doc->generated_at, "2026-11-29T10:00:00Z");
    assert_int_equal(doc->n_records, 1 + 2 + 1 + 0 + 1 + 1);
    static const enum export_kind kinds[] = {EXPORT_CONTACT, EXPORT_ACTIVITY, EXPORT_ACTIVITY,
                                             EXPORT_NOTE,    EXPORT_CHAT,     EXPORT_EMAIL};
    for (size_t i = 0; i < doc->n_records; i++)
        assert_int_equal(doc->records[i].kind, kinds[i]);
    const struct export_record *c = &doc->records[0];
    assert_string_equal(export_record_get(c, "id"), "5005390567");
    assert_string_equal(export_record_get(c, "emails.1.value"), "a.s@example.org");
    assert_string_equal(export_record_get(c, "emails.0.is_primary"), "true");
    assert_null(export_record_get(c, "emails.0.label"));
    assert_null(export_record_get(c, "display_name"));
    assert_string_equal(export_record_get(c, "tags"), "[\"vip\",\"x\"]");
    assert_string_equal(export_record_get(c, "subscription_types"), "[]");
    assert_string_equal(export_record_get(c, "links"), "{}");
    assert_string_equal(export_record_get(c, "custom_field.cf_a"), "true");
    assert_string_equal(export_record_get(c, "custom_field.cf_c"), "1.5");
    assert_string_equal(export_record_get(c, "lead_score"), "-5");
    assert_string_equal(export_record_get(&doc->records[1], "action_data.form_id"), "3");
    assert_string_equal(export_record_get(&doc->records[4], "messages.1.body"), "+cmd");
    assert_null(export_record_get(c, "no_such_field"));
    export_doc_free(&doc);
    assert_null(doc);
    export_doc_free(&doc);
    export_doc_free(NULL);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *want;
    } rows[] = {
        {"", "is empty"},
        {"{", "not valid JSON"},
        {"[]", "no \"export\" object"},
        {"{\"export\":1}", "no \"export\" object"},
        {"{\"export\":{}}", "no \"contact\" object"},
        {"{\"export\":{\"contact\":[]}}", "no \"contact\" object"},
        {"{\"export\":{\"contact\":{},\"activities\":{}}}", "\"activities\" is not a list"},
        {"{\"export\":{\"contact\":{},\"notes\":[1]}}", "\"notes\" holds something not a record"},
        {"{\"export\":{\"contact\":{},\"generated_at\":5}}", "\"generated_at\" is not a string"},
        {"{\"export\":{\"contact\":{}}} x", "data after its JSON value"},
        {"{\"export\":{\"contact\":{}}}{}", "data after its JSON value"},
        {"{\"export\":{\"contact\":{\"n\":1e400}}}", "number out of range"},
        {"{\"export\":{\"contact\":{\"s\":\"\\ud800\"}}}", "not valid JSON"},
        {"{\"export\":{\"contact\":{\"s\":\"abc}}}", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct export_doc *doc = (struct export_doc *)1;
        char err[256] = "";
        enum crm_status st =
            export_doc_parse(rows[i].body, strlen(rows[i].body), &doc, err, sizeof(err));
        if (st != CRM_ERR_PROTOCOL || strstr(err, rows[i].want) == NULL)
            fprintf(stderr, "row %zu: %d \"%s\"\n", i, st, err);
        assert_int_equal(st, CRM_ERR_PROTOCOL);
        assert_null(doc);
        assert_non_null(strstr(err, rows[i].want));
    }

    /* deeper than allowed */
    char deep[1024];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof(deep), "{\"export\":{\"contact\":{\"a\":");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    for (int i = 0; i < 100; i++)
        deep[n++] = ']';
    n += (size_t)snprintf(deep + n, sizeof(deep) - n, "}}}");
    struct export_doc *doc = NULL;
    char err[256];
    assert_int_equal(export_doc_parse(deep, n, &doc, err, sizeof(err)), CRM_ERR_PROTOCOL);
    assert_non_null(strstr(err, "deeper than"));

    /* too large: refused before it is read */
    assert_int_equal(export_doc_parse(deep, (size_t)EXPORT_MAX_BODY + 1, &doc, err, sizeof(err)),
                     CRM_ERR_TOO_LARGE);
    assert_null(doc);
    assert_int_equal(export_doc_parse(NULL, 0, NULL, err, sizeof(err)), CRM_ERR_INVALID);
}

/* Every byte a terminal could act on is escaped in the JSON output. */
static void assert_inert_json(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        assert_false(b < 0x20 && b != '\n');
        assert_false(b == 0x7F);
        if (b == 0xC2 && i + 1 < len)
            assert_false((unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F);
        if (b == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
            unsigned char c = (unsigned char)s[i + 2];
            assert_false(c >= 0x8B && c <= 0x8F); /* U+200B..U+200F */
            assert_false(c >= 0xA8 && c <= 0xAE); /* U+2028..U+202E */
        }
        if (b == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x81)
            assert_false((unsigned char)s[i + 2] >= 0xA0 && (unsigned char)s[i + 2] <= 0xAF);
    }
}

static void test_json_complete_and_inert(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(export_render(doc, EXPORT_JSON, &out, &len, NULL, NULL), CRM_OK);
    assert_int_equal(len, strlen(out));
    assert_inert_json(out, len);
    assert_non_null(strstr(out, "\\u001b[2J"));
    assert_non_null(strstr(out, "\\u202e"));
    assert_non_null(strstr(out, "\\u009b"));
    assert_non_null(strstr(out, "\\u200b"));
    assert_non_null(strstr(out, "\"id\": 5005390567"));
    assert_non_null(strstr(out, "\n  \"export\": {\n")); /* pretty-printed */

    /* parsed back, it is the same document: every key, nested, every value */
    cJSON *in = cJSON_Parse(doc_body);
    cJSON *back = cJSON_ParseWithLength(out, len);
    assert_non_null(in);
    assert_non_null(back);
    assert_true(cJSON_Compare(in, back, 1));
    cJSON_Delete(in);
    cJSON_Delete(back);
    free(out);
    export_doc_free(&doc);

    /* invalid UTF-8 cannot travel in JSON: it becomes U+FFFD */
    static const char bad[] = "{\"export\":{\"contact\":{\"n\":\"a\xff\xc0\xafz\"}}}";
    doc = parse_ok(bad);
    assert_non_null(strstr(doc->json, "\"a\\ufffd\\ufffd\\ufffdz\""));
    assert_string_equal(export_record_get(&doc->records[0], "n"), "a\xff\xc0\xafz");
    export_doc_free(&doc);
}

/* An RFC 4180 reader for the test: rows of cells; an empty line is a row of
 * one empty cell. Returns the number of rows. */
struct csv {
    char *cells[400][64];
    int ncells[400];
    int nrows;
};

static void csv_read(const char *s, struct csv *t)
{
    memset(t, 0, sizeof(*t));
    char cell[4096];
    size_t cl = 0;
    int row = 0, col = 0;
    while (*s) {
        if (*s == '"') {
            s++;
            for (;;) {
                assert_true(*s != '\0');
                if (s[0] == '"' && s[1] == '"') {
                    cell[cl++] = '"';
                    s += 2;
                } else if (s[0] == '"') {
                    s++;
                    break;
                } else {
                    cell[cl++] = *s++;
                }
            }
            /* after a closing quote only a separator may follow */
            assert_true(*s == ',' || (s[0] == '\r' && s[1] == '\n'));
        } else if (*s == ',' || (s[0] == '\r' && s[1] == '\n')) {
            cell[cl] = '\0';
            t->cells[row][col++] = strdup(cell);
            cl = 0;
            if (*s == ',') {
                s++;
            } else {
                t->ncells[row] = col;
                row++;
                col = 0;
                s += 2;
            }
        } else {
            /* a bare CR or LF outside quotes breaks RFC 4180 */
            assert_true(*s != '\r' && *s != '\n' && *s != '"');
            cell[cl++] = *s++;
        }
        assert_true(cl < sizeof(cell));
    }
    assert_int_equal(col, 0); /* the last row ended in CRLF */
    t->nrows = row;
}

static void csv_free(struct csv *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncells[r]; c++)
            free(t->cells[r][c]);
}

/* The cell of column name in row r, the header being row h. */
static const char *csv_get(const struct csv *t, int h, int r, const char *name)
{
    for (int c = 0; c < t->ncells[h]; c++)
        if (strcmp(t->cells[h][c], name) == 0)
            return t->cells[r][c];
    return NULL;
}

static void test_csv(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(export_render(doc, EXPORT_CSV, &out, &len, NULL, NULL), CRM_OK);

    /* exact cells as written */
    assert_memory_equal(out, "record,id,first_name,last_name,", 31);
    assert_non_null(strstr(out, "\r\ncontact,5005390567,Ana,\"Souza, Jr.\",,ana@example.com,"));
    assert_non_null(strstr(out, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
    assert_non_null(strstr(out, ",\"'+55 11 99999-0000\",-5,"));
    assert_non_null(strstr(out, ",\"Rua A, 1\nApto 2\","));
    assert_non_null(strstr(out, ",\"[\"\"vip\"\",\"\"x\"\"]\","));
    assert_non_null(strstr(out, "\r\nactivity,a-2,\"'@SUM(1)\","));
    assert_non_null(strstr(out, "\r\nnote,9,\"first line\nsecond, with comma\","));
    /* controls are made visible, never written */
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)out[i];
        assert_false(b < 0x20 && b != '\r' && b != '\n');
        assert_false(b == 0x7F);
    }
    assert_non_null(strstr(out, "x\xe2\x90\x9b[2J\xef\xbf\xbdy"));

    /* read back: sections, each a header and rows of the same width */
    struct csv *t = malloc(sizeof(*t));
    assert_non_null(t);
    csv_read(out, t);
    static const char *const kinds[] = {"contact", "activity", "note", "chat", "email"};
    static const int rows_of[] = {1, 2, 1, 1, 1};
    int r = 0;
    for (int k = 0; k < 5; k++) {
        int h = r;
        assert_string_equal(t->cells[h][0], "record");
        r++;
        for (int i = 0; i < rows_of[k]; i++, r++) {
            assert_int_equal(t->ncells[r], t->ncells[h]);
            assert_string_equal(t->cells[r][0], kinds[k]);
        }
        if (k < 4) {
            assert_int_equal(t->ncells[r], 1); /* the empty line between sections */
            assert_string_equal(t->cells[r][0], "");
            r++;
        }
        if (k == 0) {
            assert_string_equal(csv_get(t, h, h + 1, "last_name"), "Souza, Jr.");
            assert_string_equal(csv_get(t, h, h + 1, "job_title"), "'=HYPERLINK(\"http://x\")");
            assert_string_equal(csv_get(t, h, h + 1, "work_number"), "-5");
            assert_string_equal(csv_get(t, h, h + 1, "lead_score"), "-5");
            assert_string_equal(csv_get(t, h, h + 1, "custom_field.cf_c"), "1.5");
            assert_string_equal(csv_get(t, h, h + 1, "city"), "S\u00e3o Paulo");
            assert_string_equal(csv_get(t, h, h + 1, "display_name"), "");
        }
        if (k == 1) {
            /* the union of both activities' fields */
            assert_non_null(csv_get(t, h, h + 1, "action_data.channel"));
            assert_string_equal(csv_get(t, h, h + 2, "action_data.channel"), "");
            assert_string_equal(csv_get(t, h, h + 2, "extra"), "say \"hi\"");
            assert_string_equal(csv_get(t, h, h + 1, "action_data.source"), "web_form");
        }
        if (k == 3)
            assert_string_equal(csv_get(t, h, h + 1, "messages.1.body"), "'+cmd");
    }
    assert_int_equal(r, t->nrows);
    csv_free(t);
    free(t);
    free(out);
    export_doc_free(&doc);
}

/* Removes the folding (CRLF followed by a space) and returns the logical lines
 * joined by "\n"; checks each physical line on the way. */
static char *vcard_unfold(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    size_t o = 0;
    assert_non_null(out);
    const char *line = s;
    while (*line) {
        const char *end = strstr(line, "\r\n");
        assert_non_null(end); /* every line ends in CRLF */
        size_t ll = (size_t)(end - line);
        assert_true(ll <= 75);
        assert_null(memchr(line, '\n', ll));
        assert_null(memchr(line, '\r', ll));
        /* a physical line is whole UTF-8: it neither starts nor ends inside a character */
        assert_true(ll == 0 || ((unsigned char)line[0] & 0xC0) != 0x80 || line[0] == ' ');
        if (ll > 0) {
            size_t k = ll;
            size_t back = 0;
            while (k > 0 && ((unsigned char)line[k - 1] & 0xC0) == 0x80)
                k--, back++;
            if (k > 0) {
                unsigned char lead = (unsigned char)line[k - 1];
                size_t want = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
                assert_int_equal(back, want);
            }
        }
        if (line != s && line[0] == ' ') {
            o--; /* drop the "\n" added for the previous physical line */
            memcpy(out + o, line + 1, ll - 1);
            o += ll - 1;
        } else {
            memcpy(out + o, line, ll);
            o += ll;
        }
        out[o++] = '\n';
        line = end + 2;
    }
    out[o] = '\0';
    return out;
}

static void test_vcard(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(export_render(doc, EXPORT_VCARD, &out, &len, NULL, NULL), CRM_OK);
    char *logical = vcard_unfold(out);
    const char *want = "BEGIN:VCARD\n"
                       "VERSION:4.0\n"
                       "FN:Ana Souza\\, Jr.\n"
                       "N:Souza\\, Jr.;Ana;;;\n"
                       "EMAIL;PREF=1:ana@example.com\n"
                       "EMAIL:a.s@example.org\n"
                       "TEL;TYPE=cell:+55 11 99999-0000\n"
                       "TEL;TYPE=work:-5\n"
                       "ORG:;Sales\\; East\n"
                       "TITLE:=HYPERLINK(\"http://x\")\n"
                       "ADR:;;Rua A\\, 1\\nApto 2;S\u00e3o Paulo;SP;01000;BR\n"
                       "NOTE:first line\\nsecond\\, with comma\n"
                       "REV:20261120T100203Z\n"
                       "END:VCARD\n";
    assert_string_equal(logical, want);
    free(logical);
    free(out);
    export_doc_free(&doc);

    /* backslashes and controls; display name wins; company name */
    doc = parse_ok("{\"export\":{\"contact\":{\"id\":7,\"display_name\":\"A\\\\B\\u001b[1m\","
                   "\"company_name\":\"Acme, Inc.\",\"email\":\"x@example.com\","
                   "\"updated_at\":\"not a time\"}}}");
    assert_int_equal(export_render(doc, EXPORT_VCARD, &out, &len, NULL, NULL), CRM_OK);
    logical = vcard_unfold(out);
    assert_string_equal(logical, "BEGIN:VCARD\nVERSION:4.0\nFN:A\\\\B\u241B[1m\n"
                                 "EMAIL:x@example.com\nORG:Acme\\, Inc.\nEND:VCARD\n");
    free(logical);
    free(out);
    export_doc_free(&doc);

    /* nothing to name it by: FN still there (it is required) */
    doc = parse_ok("{\"export\":{\"contact\":{\"id\":42}}}");
    assert_int_equal(export_render(doc, EXPORT_VCARD, &out, &len, NULL, NULL), CRM_OK);
    assert_string_equal(out, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Contact 42\r\nEND:VCARD\r\n");
    free(out);
    export_doc_free(&doc);
}

static void test_vcard_folding(void **state)
{
    (void)state;
    /* long notes of 1-, 2-, 3- and 4-byte characters, at every alignment */
    static const char *const units[] = {"a", "\u00e9", "\u5c71", "\U0001F469", "a\u00e9\u5c71,"};
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        for (int shift = 0; shift < 4; shift++) {
            char note[2048] = "";
            size_t n = 0;
            for (int i = 0; i < shift; i++)
                note[n++] = 'x';
            while (n + strlen(units[u]) < 1500) {
                memcpy(note + n, units[u], strlen(units[u]));
                n += strlen(units[u]);
            }
            note[n] = '\0';
            cJSON *root = cJSON_CreateObject();
            cJSON *ex = cJSON_AddObjectToObject(root, "export");
            cJSON *c = cJSON_AddObjectToObject(ex, "contact");
            cJSON_AddStringToObject(c, "display_name", "N");
            cJSON *notes = cJSON_AddArrayToObject(ex, "notes");
            cJSON *nt = cJSON_CreateObject();
            cJSON_AddStringToObject(nt, "description", note);
            cJSON_AddItemToArray(notes, nt);
            char *body = cJSON_PrintUnformatted(root);
            cJSON_Delete(root);

            struct export_doc *doc = parse_ok(body);
            char *out = NULL;
            size_t len = 0;
            assert_int_equal(export_render(doc, EXPORT_VCARD, &out, &len, NULL, NULL), CRM_OK);
            assert_non_null(strstr(out, "\r\n ")); /* it was folded */
            char *logical = vcard_unfold(out);
            /* unfolding restores the value, with ',' escaped */
            char want[4096] = "NOTE:";
            size_t w = 5;
            for (const char *p = note; *p; p++) {
                if (*p == ',')
                    want[w++] = '\\';
                want[w++] = *p;
            }
            want[w++] = '\n';
            want[w] = '\0';
            assert_non_null(strstr(logical, want));
            free(logical);
            free(out);
            free(body);
            export_doc_free(&doc);
        }
    }
}

static void count_progress(size_t done, size_t total, void *ud)
{
    size_t *seen = ud;
    assert_true(done <= total);
    assert_true(done >= seen[0]); /* never goes back */
    seen[0] = done;
    seen[1] = total;
    seen[2]++;
}

static void test_progress(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    for (int f = EXPORT_JSON; f <= EXPORT_VCARD; f++) {
        size_t seen[3] = {0, 0, 0};
        char *out = NULL;
        size_t len;
        assert_int_equal(
            export_render(doc, (enum export_format)f, &out, &len, count_progress, seen), CRM_OK);
        assert_int_equal(seen[0], doc->n_records);
        assert_int_equal(seen[1], doc->n_records);
        assert_true(seen[2] >= 1);
        if (f == EXPORT_CSV)
            assert_int_equal(seen[2], doc->n_records);
        free(out);
    }
    export_doc_free(&doc);
}

static void test_formats(void **state)
{
    (void)state;
    enum export_format f;
    assert_int_equal(export_format_parse("json", &f), 0);
    assert_int_equal(f, EXPORT_JSON);
    assert_int_equal(export_format_parse("csv", &f), 0);
    assert_int_equal(f, EXPORT_CSV);
    assert_int_equal(export_format_parse("vcf", &f), 0);
    assert_int_equal(f, EXPORT_VCARD);
    assert_int_equal(export_format_parse("vcard", &f), 0);
    assert_int_equal(f, EXPORT_VCARD);
    assert_int_equal(export_format_parse("xml", &f), -1);
    assert_int_equal(export_format_parse(NULL, &f), -1);
    assert_string_equal(export_format_ext(EXPORT_JSON), "json");
    assert_string_equal(export_format_ext(EXPORT_CSV), "csv");
    assert_string_equal(export_format_ext(EXPORT_VCARD), "vcf");
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void make_dir(char *out, size_t outlen, const char *name)
{
    snprintf(out, outlen, "%s/%s", tmpdir, name);
    assert_int_equal(mkdir(out, 0700), 0);
}

static void test_write_file(void **state)
{
    (void)state;
    struct export_doc *doc = parse_ok(doc_body);
    char dir[400], path[500], err[600];
    struct stat sb, sb2;

    make_dir(dir, sizeof(dir), "write");
    snprintf(path, sizeof(path), "%s/contact.json", dir);
    mode_t old = umask(0);
    assert_int_equal(export_write(doc, EXPORT_JSON, path, NULL, NULL, err, sizeof(err)), CRM_OK);
    umask(old);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    size_t len;
    char *got = slurp(path, &len);
    assert_non_null(got);
    assert_int_equal(len, doc->json_len);
    assert_memory_equal(got, doc->json, len);
    free(got);
    assert_int_equal(dir_entries(dir), 1);

    /* an existing file is replaced in one step: a new inode, no leftovers,
     * and a reader holding the old file still reads the old content */
    FILE *held = fopen(path, "rb");
    assert_non_null(held);
    assert_int_equal(export_write(doc, EXPORT_CSV, path, NULL, NULL, err, sizeof(err)), CRM_OK);
    assert_int_equal(stat(path, &sb2), 0);
    assert_true(sb.st_ino != sb2.st_ino);
    assert_int_equal(sb2.st_mode & 0777, 0600);
    char first[8] = "";
    assert_int_equal(fread(first, 1, 5, held), 5);
    assert_memory_equal(first, "{\n  \"", 5);
    fclose(held);
    got = slurp(path, &len);
    assert_memory_equal(got, "record,", 7);
    free(got);
    assert_int_equal(dir_entries(dir), 1);

    /* a path in the current directory */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(export_write(doc, EXPORT_VCARD, "card.vcf", NULL, NULL, err, sizeof(err)),
                     CRM_OK);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(dir_entries(dir), 2);
    export_doc_free(&doc);
}

static void test_write_errors(void **state)
{
    (void)state;
    char dir[400], path[500], err[600];
    const char data[] = "new content";

    /* the directory does not exist */
    snprintf(path, sizeof(path), "%s/no-such-dir/x.json", tmpdir);
    assert_int_equal(export_write_file(path, data, strlen(data), err, sizeof(err)), CRM_ERR_IO);
    assert_non_null(strstr(err, "No such file or directory"));

    /* the target is a directory: the rename fails, the temporary file goes */
    make_dir(dir, sizeof(dir), "errs");
    snprintf(path, sizeof(path), "%s/taken", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(export_write_file(path, data, strlen(data), err, sizeof(err)), CRM_ERR_IO);
    assert_non_null(strstr(err, "cannot replace"));
    assert_int_equal(dir_entries(dir), 1);

    /* a path ending in '/' names no file */
    snprintf(path, sizeof(path), "%s/", dir);
    assert_int_equal(export_write_file(path, data, strlen(data), err, sizeof(err)),
                     CRM_ERR_INVALID);
    assert_int_equal(export_write_file(NULL, data, 1, err, sizeof(err)), CRM_ERR_INVALID);

    /* an unwritable directory leaves the old file as it was */
    char ro[400];
    make_dir(ro, sizeof(ro), "readonly");
    snprintf(path, sizeof(path), "%s/old.json", ro);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    /* root passes mode bits: it writes as an ordinary user for this one */
    int as_root = geteuid() == 0;
    assert_int_equal(chmod(ro, 0500), 0);
    if (as_root)
        assert_int_equal(seteuid(65534), 0);
    enum crm_status st = export_write_file(path, data, strlen(data), err, sizeof(err));
    if (as_root)
        assert_int_equal(seteuid(0), 0);
    assert_int_equal(chmod(ro, 0700), 0);
    assert_int_equal(st, CRM_ERR_IO);
    assert_non_null(strstr(err, "cannot create a file beside"));
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, "old");
    free(got);
    assert_int_equal(dir_entries(ro), 1);
}

/* Disk full: a small tmpfs when we may mount one, else a file size limit
 * (write then fails with EFBIG, which counts the same). Either way no
 * partial file is left and the old file stays whole. */
static void test_disk_full(void **state)
{
    (void)state;
    char dir[400], path[500], err[600];
    size_t big = 1024 * 1024;
    char *data = malloc(big);
    assert_non_null(data);
    memset(data, 'x', big);

    make_dir(dir, sizeof(dir), "full");
    int mounted = mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0;
    snprintf(path, sizeof(path), "%s/contact.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("previous export", f);
    fclose(f);

    enum crm_status st;
    if (mounted) {
        st = export_write_file(path, data, big, err, sizeof(err));
    } else {
        struct rlimit old, lim;
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
        lim = old;
        lim.rlim_cur = 16 * 1024;
        void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
        st = export_write_file(path, data, big, err, sizeof(err));
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, prev);
    }
    assert_int_equal(st, CRM_ERR_DISK_FULL);
    assert_non_null(strstr(err, "cannot write"));
    assert_int_equal(dir_entries(dir), 1);
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, "previous export");
    free(got);
    /* and a small file still fits afterwards */
    assert_int_equal(export_write_file(path, "ok", 2, err, sizeof(err)), CRM_OK);
    if (mounted)
        assert_int_equal(umount(dir), 0);
    free(data);
}

static void test_default_path(void **state)
{
    (void)state;
    char out[600], want[600], day[16];
    struct stat sb;
    time_t now = time(NULL);
    struct tm tm;

    setenv("HOME", tmpdir, 1);
    assert_int_equal(export_default_path(5005390567LL, EXPORT_CSV, out, sizeof(out)), CRM_OK);
    localtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y-%m-%d", &tm);
    snprintf(want, sizeof(want), "%s/crmtui-exports/5005390567-%s.csv", tmpdir, day);
    assert_string_equal(out, want);
    snprintf(want, sizeof(want), "%s/crmtui-exports", tmpdir);
    assert_int_equal(stat(want, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0700);
    /* again: the directory is there already */
    assert_int_equal(export_default_path(1, EXPORT_VCARD, out, sizeof(out)), CRM_OK);
    assert_non_null(strstr(out, "/crmtui-exports/1-"));
    assert_memory_equal(out + strlen(out) - 4, ".vcf", 4);

    assert_int_equal(export_default_path(1, EXPORT_JSON, out, 10), CRM_ERR_INVALID);
    assert_string_equal(out, "");

    /* a file where the directory should be */
    char home2[400];
    make_dir(home2, sizeof(home2), "home2");
    snprintf(want, sizeof(want), "%s/crmtui-exports", home2);
    FILE *f = fopen(want, "w");
    assert_non_null(f);
    fclose(f);
    setenv("HOME", home2, 1);
    assert_int_equal(export_default_path(1, EXPORT_JSON, out, sizeof(out)), CRM_ERR_IO);
    setenv("HOME", tmpdir, 1);
}

static char *read_fixture(const char *name, size_t *len)
{
    char path[300];
    snprintf(path, sizeof(path), "tests/fixtures/freshsales/%s", name);
    char *s = slurp(path, len);
    if (s == NULL)
        fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
    assert_non_null(s);
    return s;
}

static void test_assemble(void **state)
{
    (void)state;
    size_t clen, alen;
    char *contact = read_fixture("contact_with_owner.json", &clen);
    char *acts = read_fixture("activities.json", &alen);
    const char *pages[] = {acts, acts};
    const size_t lens[] = {alen, alen};
    const char notes[] = "{\"notes\":[{\"id\":1,\"description\":\"n1\"},"
                         "{\"id\":2,\"description\":\"n2\"}]}";
    struct export_doc *doc = NULL;
    char err[256] = "";

    enum crm_status st = export_doc_assemble(contact, clen, pages, lens, 2, notes, strlen(notes),
                                             "2026-11-29T10:00:00Z", &doc, err, sizeof(err));
    if (st != CRM_OK)
        fprintf(stderr, "assemble: %s\n", err);
    assert_int_equal(st, CRM_OK);
    assert_int_equal(doc->contact_id, 5005386510LL);
    assert_string_equal(doc->generated_at, "2026-11-29T10:00:00Z");

    cJSON *fx = cJSON_Parse(acts);
    int n_acts = cJSON_GetArraySize(cJSON_GetObjectItem(fx, "activities"));
    assert_true(n_acts > 0);
    size_t counts[EXPORT_KIND_COUNT] = {0};
    for (size_t i = 0; i < doc->n_records; i++)
        counts[doc->records[i].kind]++;
    assert_int_equal(counts[EXPORT_CONTACT], 1);
    assert_int_equal(counts[EXPORT_ACTIVITY], 2 * (size_t)n_acts);
    assert_int_equal(counts[EXPORT_NOTE], 2);
    assert_int_equal(counts[EXPORT_CALL], 0);

    /* the JSON holds the contact exactly as the server sent it */
    cJSON *out = cJSON_Parse(doc->json);
    cJSON *src = cJSON_Parse(contact);
    assert_non_null(out);
    cJSON *ex = cJSON_GetObjectItem(out, "export");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ex, "assembled")));
    assert_true(
        cJSON_Compare(cJSON_GetObjectItem(ex, "contact"), cJSON_GetObjectItem(src, "contact"), 1));
    assert_true(cJSON_Compare(cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "activities"), n_acts),
                              cJSON_GetArrayItem(cJSON_GetObjectItem(fx, "activities"), 0), 1));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(ex, "chats")));
    cJSON_Delete(out);
    cJSON_Delete(src);
    cJSON_Delete(fx);
    export_doc_free(&doc);

    /* notes side-loaded next to the contact; no activity pages; time now */
    const char side[] = "{\"contact\":{\"id\":3,\"first_name\":\"B\"},"
                        "\"notes\":[{\"id\":5,\"description\":\"side\"}]}";
    assert_int_equal(export_doc_assemble(side, strlen(side), NULL, NULL, 0, NULL, 0, NULL, &doc,
                                         err, sizeof(err)),
                     CRM_OK);
    assert_int_equal(doc->n_records, 2);
    assert_string_equal(export_record_get(&doc->records[1], "description"), "side");
    assert_int_equal(strlen(doc->generated_at), 20);
    export_doc_free(&doc);

    /* notes inside the contact object */
    const char inside[] = "{\"contact\":{\"id\":3,\"notes\":[{\"id\":6,\"description\":\"in\"}]}}";
    assert_int_equal(export_doc_assemble(inside, strlen(inside), NULL, NULL, 0, NULL, 0, NULL, &doc,
                                         err, sizeof(err)),
                     CRM_OK);
    assert_int_equal(doc->n_records, 2);
    assert_string_equal(export_record_get(&doc->records[1], "description"), "in");
    export_doc_free(&doc);

    /* errors */
    const char nocontact[] = "{\"users\":[]}";
    assert_int_equal(export_doc_assemble(nocontact, strlen(nocontact), NULL, NULL, 0, NULL, 0, NULL,
                                         &doc, err, sizeof(err)),
                     CRM_ERR_PROTOCOL);
    assert_non_null(strstr(err, "no \"contact\" object"));
    assert_null(doc);
    const char *badpage[] = {"{\"activity\":[]}"};
    const size_t badlen[] = {strlen(badpage[0])};
    assert_int_equal(export_doc_assemble(side, strlen(side), badpage, badlen, 1, NULL, 0, NULL,
                                         &doc, err, sizeof(err)),
                     CRM_ERR_PROTOCOL);
    assert_non_null(strstr(err, "activities page 1 has no \"activities\" list"));
    assert_int_equal(export_doc_assemble(side, strlen(side), NULL, NULL, 0, "[1]", 3, NULL, &doc,
                                         err, sizeof(err)),
                     CRM_ERR_PROTOCOL);
    assert_non_null(strstr(err, "no \"notes\" list"));
    assert_null(doc);
    free(contact);
    free(acts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_json_complete_and_inert),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_vcard),
        cmocka_unit_test(test_vcard_folding),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_write_file),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_assemble),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* Fuzz target: list pages of contacts and companies (GET /contacts/view/{id},
 * GET /lookup, GET /sales_accounts/view/{id}) read by the JSON mappers. */
#include <stdlib.h>

#include "core/contact_json.h"
#include "core/misc_json.h"
#include "tests/fuzz/fuzz_model.h"

static void fuzz_rows(enum crm_status st, struct contact_row *rows, size_t n, const char *err)
{
    if (st != CRM_OK) {
        FUZZ_ASSERT(st == CRM_ERR_PROTOCOL);
        FUZZ_ASSERT(rows == NULL && n == 0);
        fuzz_check_err(err, 256);
        return;
    }
    FUZZ_ASSERT(n == 0 || rows != NULL);
    for (size_t i = 0; i < n; i++) {
        fuzz_model_row(&rows[i]);
        model_contact_row_clear(&rows[i]);
    }
    free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct contact_row *rows = NULL;
    struct company *cos = NULL;
    size_t n = 0;
    long total = -2, pages = -2;
    char err[256] = "";
    enum crm_status st;

    st = contact_json_page(body, size, &rows, &n, &total, &pages, err, sizeof err);
    if (st == CRM_OK)
        fuzz_model_meta(total, pages);
    fuzz_rows(st, rows, n, err);

    rows = NULL;
    n = 0;
    err[0] = '\0';
    st = contact_json_lookup(body, size, &rows, &n, err, sizeof err);
    fuzz_rows(st, rows, n, err);

    n = 0;
    err[0] = '\0';
    total = pages = -2;
    st = misc_json_companies(body, size, &cos, &n, &total, &pages, err, sizeof err);
    if (st != CRM_OK) {
        FUZZ_ASSERT(st == CRM_ERR_PROTOCOL);
        FUZZ_ASSERT(cos == NULL && n == 0);
        fuzz_check_err(err, sizeof err);
        return 0;
    }
    fuzz_model_meta(total, pages);
    FUZZ_ASSERT(n == 0 || cos != NULL);
    for (size_t i = 0; i < n; i++) {
        fuzz_model_company(&cos[i]);
        model_company_clear(&cos[i]);
    }
    free(cos);
    return 0;
}

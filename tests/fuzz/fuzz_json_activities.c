/* Fuzz target: the contact timeline (GET /contacts/{id}/activities) read by
 * the JSON mapper. */
#include <stdlib.h>

#include "core/activity_json.h"
#include "tests/fuzz/fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct activity *acts = NULL;
    size_t n = 0;
    long total = -2, pages = -2;
    char err[256] = "";
    enum crm_status st;

    st = activity_json_list((const char *)data, size, &acts, &n, &total, &pages, err, sizeof err);
    if (st != CRM_OK) {
        FUZZ_ASSERT(st == CRM_ERR_PROTOCOL);
        FUZZ_ASSERT(acts == NULL && n == 0);
        fuzz_check_err(err, sizeof err);
        return 0;
    }
    fuzz_model_meta(total, pages);
    FUZZ_ASSERT(n == 0 || acts != NULL);
    for (size_t i = 0; i < n; i++) {
        fuzz_model_activity(&acts[i]);
        model_activity_clear(&acts[i]);
    }
    free(acts);
    return 0;
}

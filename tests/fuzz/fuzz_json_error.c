/* Fuzz target: the server's message in an error body (the error envelope,
 * errors.message as a string or a list, or a bare message), read into
 * buffers of several sizes. */
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"
#include "tests/fuzz/fuzz_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = {1, 2, 3, 4, 5, 8, 17, 64, 256, 1024};
    char none = 'G';

    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        size_t cap = caps[i], len;
        /* exactly cap bytes, so that AddressSanitizer sees a write past it */
        char *msg = malloc(cap);
        bool found;

        FUZZ_ASSERT(msg != NULL);
        memset(msg, 'G', cap);
        found = common_json_error_message((const char *)data, size, msg, cap);
        len = strnlen(msg, cap);
        FUZZ_ASSERT(len < cap);
        FUZZ_ASSERT(found == (len > 0));
        fuzz_model_str(msg, false, SANITIZE_MAX_BYTES);
        free(msg);
    }
    FUZZ_ASSERT(!common_json_error_message((const char *)data, size, &none, 0));
    FUZZ_ASSERT(none == 'G');
    return 0;
}

/* Fuzz target: the sanitizer. Each input is one string from a server, tried
 * with several caps and clip widths; the properties the rest of the client
 * relies on are checked here and crash the target when they fail. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "tests/fuzz/fuzz_check.h"

/* Whether s[0..len) is printable ASCII only, which passes unchanged. */
static bool fuzz_plain_ascii(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7E)
            return false;
    return true;
}

/* One output of sanitize_str (multiline false) or sanitize_text. */
static void fuzz_one(const uint8_t *data, size_t size, size_t cap, bool multiline)
{
    size_t limit = cap ? cap : SANITIZE_MAX_BYTES;
    char *out = multiline ? sanitize_text((const char *)data, size, cap)
                          : sanitize_str((const char *)data, size, cap);
    size_t len;
    char *again;

    FUZZ_ASSERT(out != NULL);
    len = strlen(out);
    FUZZ_ASSERT(len <= limit);
    fuzz_check_clean(out, len, multiline);
    /* idempotent: what the sanitizer wrote, it leaves as it is */
    again = multiline ? sanitize_text(out, len, cap) : sanitize_str(out, len, cap);
    FUZZ_ASSERT(strcmp(again, out) == 0);
    free(again);
    /* plain text that fits is not touched */
    if (fuzz_plain_ascii(data, size) && size <= limit)
        FUZZ_ASSERT(len == size && memcmp(out, data, size) == 0);
    /* every character shows as something: only a cap too small for one
     * replacement mark leaves nothing of a non-empty input */
    if (len == 0)
        FUZZ_ASSERT(size == 0 || limit < 3);
    free(out);
}

/* sanitize_clip on s (sanitized or raw) for cols columns. */
static void fuzz_clip(const char *s, int cols)
{
    size_t len = strlen(s), k, next;
    int used = -1, used2 = -1, limit = cols < 0 ? 0 : cols;
    uint32_t cp;
    char *prefix;

    k = sanitize_clip(s, cols, &used);
    FUZZ_ASSERT(k <= len);
    FUZZ_ASSERT(used >= 0 && used <= limit);
    FUZZ_ASSERT(sanitize_clip(s, cols, NULL) == k);
    if (!fuzz_check_utf8_valid(s, len))
        return; /* raw input: only memory safety and the bounds above */
    /* never inside a character */
    FUZZ_ASSERT(k == len || ((unsigned char)s[k] & 0xC0) != 0x80);
    FUZZ_ASSERT(fuzz_check_utf8_valid(s, k));
    /* the columns reported are the prefix's width */
    prefix = fuzz_check_strndup((const uint8_t *)s, k);
    FUZZ_ASSERT(sanitize_width(prefix) == used);
    FUZZ_ASSERT(sanitize_clip(prefix, used, &used2) == k && used2 == used);
    free(prefix);
    /* the longest such prefix: one more character does not fit */
    if (k < len) {
        next = fuzz_check_utf8_char((const unsigned char *)s + k, len - k, &cp);
        FUZZ_ASSERT(next > 0);
        prefix = fuzz_check_strndup((const uint8_t *)s, k + next);
        FUZZ_ASSERT(sanitize_width(prefix) > limit);
        free(prefix);
    } else {
        FUZZ_ASSERT(sanitize_width(s) == used);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = {0, 1, 2, 3, 4, 5, 6, 7, 16, 64};
    char *out, *raw;
    int width;

    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        fuzz_one(data, size, caps[i], false);
        fuzz_one(data, size, caps[i], true);
    }
    /* a cap just under the input's own length makes it clip mid-string */
    if (size > 1) {
        fuzz_one(data, size, size - 1, false);
        fuzz_one(data, size, size / 2 + 1, true);
    }

    out = sanitize_str((const char *)data, size, 0);
    width = sanitize_width(out);
    FUZZ_ASSERT(width >= 0 && (size_t)width <= strlen(out));
    {
        /* a column count the input picks, so that any cut point is tried */
        int picked = size > 0 ? data[size - 1] % (width + 1) : 0;
        const int cols[] = {INT_MIN, 0, 1, 2, 3, picked, width - 1, width};
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            fuzz_clip(out, cols[i]);
    }
    free(out);

    /* width and clip must also survive text that never met the sanitizer */
    raw = fuzz_check_strndup(data, size);
    FUZZ_ASSERT(sanitize_width(raw) >= 0);
    fuzz_clip(raw, 5);
    fuzz_clip(raw, INT_MAX);
    free(raw);
    return 0;
}

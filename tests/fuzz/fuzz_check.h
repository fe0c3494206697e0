/* What the fuzz targets share: the libFuzzer entry points, a property check
 * that crashes (so libFuzzer keeps the input), and a UTF-8 decoder and text
 * checker written apart from the code under test. */
#ifndef CRM_FUZZ_CHECK_H
#define CRM_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property that must hold for every input: on violation, names it and
 * crashes, which libFuzzer reports with the input that caused it. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond);          \
            fflush(stderr);                                                                        \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

/* A copy of data[0..size) with a NUL after it (libFuzzer's buffer has none). */
static inline char *fuzz_check_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Decodes one character by Unicode Table 3-7, written apart from the code
 * under test. Returns the bytes it takes (0 when s[0..len) does not start with
 * a well-formed character) and the code point in *cp. */
static inline size_t fuzz_check_utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
    uint32_t v;
    size_t need;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        need = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        need = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if (len < need)
        return 0;
    v = s[0] & (need == 2 ? 0x1Fu : need == 3 ? 0x0Fu : 0x07u);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if ((need == 3 && v < 0x800) || (need == 4 && v < 0x10000))
        return 0; /* overlong */
    if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        return 0;
    *cp = v;
    return need;
}

/* Whether s[0..len) is well-formed UTF-8. */
static inline bool fuzz_check_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t n = fuzz_check_utf8_char(p + i, len - i, &cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* Code points a terminal acts on, or that reorder or hide text. */
static inline bool fuzz_check_forbidden(uint32_t cp, bool allow_lf)
{
    if (cp == '\n')
        return !allow_lf;
    if (cp < 0x20 || cp == 0x7F)
        return true;
    if (cp >= 0x80 && cp <= 0x9F) /* C1 */
        return true;
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) /* bidi */
        return true;
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF) /* zero-width */
        return true;
    return false;
}

/* Traps unless s[0..len) is valid UTF-8 with no NUL, no C0 control (LF only
 * when allow_lf), DEL, C1, bidi control or zero-width character. */
static inline void fuzz_check_clean(const char *s, size_t len, bool allow_lf)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp = 0;
        size_t n = fuzz_check_utf8_char(p + i, len - i, &cp);
        FUZZ_ASSERT(n > 0);
        FUZZ_ASSERT(!fuzz_check_forbidden(cp, allow_lf));
        i += n;
    }
}

/* A status with its message: an error leaves a sentence, which is text. */
static inline void fuzz_check_err(const char *err, size_t errlen)
{
    size_t n = strnlen(err, errlen);

    FUZZ_ASSERT(n > 0 && n < errlen);
}

#endif

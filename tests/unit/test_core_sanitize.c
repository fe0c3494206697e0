/* Unit tests for core/sanitize.c: hostile inputs from the fixture file and our
 * own table, the output properties, idempotence, the cap, widths and clipping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <locale.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/sanitize.h"

#define FIXTURE "tests/fixtures/hostile/strings.json"

/* An independent strict UTF-8 check: returns the number of code points, or -1. */
static long utf8_count(const unsigned char *s, size_t len, uint32_t *cps, size_t max_cps)
{
    long n = 0;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;
        size_t k;
        if (s[i] < 0x80) {
            cp = s[i];
            k = 1;
        } else if ((s[i] & 0xE0) == 0xC0) {
            cp = s[i] & 0x1F;
            k = 2;
        } else if ((s[i] & 0xF0) == 0xE0) {
            cp = s[i] & 0x0F;
            k = 3;
        } else if ((s[i] & 0xF8) == 0xF0) {
            cp = s[i] & 0x07;
            k = 4;
        } else {
            return -1;
        }
        if (i + k > len)
            return -1;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000))
            return -1; /* overlong */
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return -1;
        if (cps != NULL && (size_t)n < max_cps)
            cps[n] = cp;
        n++;
        i += k;
    }
    return n;
}

static int is_forbidden_cp(uint32_t cp, int keep_lf)
{
    if (cp < 0x20)
        return !(keep_lf && cp == '\n');
    if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return 1;
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069))
        return 1; /* bidi */
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
        return 1; /* zero width */
    return 0;
}

/* The properties every output must have, whatever came in. */
static void assert_props(const char *in, size_t len, size_t cap, int keep_lf)
{
    char *out = keep_lf ? sanitize_text(in, len, cap) : sanitize_str(in, len, cap);
    size_t olen = strlen(out);
    size_t limit = cap ? cap : SANITIZE_MAX_BYTES;
    uint32_t *cps = malloc((olen + 1) * sizeof(*cps));
    long n;

    assert_non_null(cps);
    assert_true(olen <= limit);
    n = utf8_count((const unsigned char *)out, olen, cps, olen + 1);
    assert_true(n >= 0);
    for (long i = 0; i < n; i++) {
        if (is_forbidden_cp(cps[i], keep_lf)) {
            fprintf(stderr, "forbidden U+%04X in output\n", (unsigned)cps[i]);
            fail();
        }
    }
    for (size_t i = 0; i < olen; i++) {
        unsigned char b = (unsigned char)out[i];
        assert_false(b == 0x7F);
        assert_false(b < 0x20 && !(keep_lf && b == '\n'));
    }
    char *again = keep_lf ? sanitize_text(out, olen, cap) : sanitize_str(out, olen, cap);
    assert_string_equal(again, out);
    free(again);
    free(cps);
    free(out);
}

static void assert_both_props(const char *in, size_t len)
{
    assert_props(in, len, 0, 0);
    assert_props(in, len, 0, 1);
    assert_props(in, len, 7, 0);
    assert_props(in, len, 7, 1);
}

/* Decodes a JSON string literal starting after its opening quote (for the
 * fixture's text entries, which may hold U+0000 that cJSON would cut at). */
static size_t json_unescape(const char *p, char *out, size_t *used)
{
    size_t o = 0;
    const char *start = p;

    while (*p && *p != '"') {
        if (*p != '\\') {
            out[o++] = *p++;
            continue;
        }
        p++;
        char c = *p++;
        uint32_t cp;
        switch (c) {
        case 'n':
            out[o++] = '\n';
            break;
        case 'r':
            out[o++] = '\r';
            break;
        case 't':
            out[o++] = '\t';
            break;
        case 'b':
            out[o++] = '\b';
            break;
        case 'f':
            out[o++] = '\f';
            break;
        case 'u':
            cp = (uint32_t)strtoul((char[5]){p[0], p[1], p[2], p[3], 0}, NULL, 16);
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u') {
                uint32_t lo = (uint32_t)strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            if (cp < 0x80) {
                out[o++] = (char)cp;
            } else if (cp < 0x800) {
                out[o++] = (char)(0xC0 | (cp >> 6));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out[o++] = (char)(0xE0 | (cp >> 12));
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[o++] = (char)(0xF0 | (cp >> 18));
                out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        default:
            out[o++] = c;
        }
    }
    *used = (size_t)(p - start);
    return o;
}

static char *read_fixture(size_t *len)
{
    FILE *f = fopen(FIXTURE, "rb");
    char *buf;
    long sz;

    if (f == NULL) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", FIXTURE);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)sz + 1);
    if (buf == NULL || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[sz] = '\0';
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

/* What the fixture's entries must become (the ones with a fixed answer). */
static const struct {
    const char *name;
    const char *str; /* sanitize_str */
} fixture_expect[] = {
    {"csi_clear", "Ana\u241B[2J\u241B[H"},
    {"sgr_color", "\u241B[31mRed\u241B[0m"},
    {"osc0_title_bel", "x\u241B]0;owned\u2407y"},
    {"osc2_title_st", "x\u241B]2;owned\u241B\\y"},
    {"osc52_clipboard", "\u241B]52;c;ZWNobyBwd25lZA==\u2407"},
    {"osc8_link", "\u241B]8;;https://example.invalid/\u2407click\u241B]8;;\u2407"},
    {"dcs_request", "\u241BP$q\"p\u241B\\"},
    {"c1_csi_utf8", "a\uFFFD2Jb"},
    {"c1_osc_utf8", "a\uFFFD0;t\uFFFDb"},
    {"bidi_rlo", "invoice\uFFFDgpj.exe"},
    {"bidi_isolates", "a\uFFFDb\uFFFDc\uFFFDd\uFFFD"},
    {"zero_width", "ad\uFFFDmin\uFFFD\uFFFD"},
    {"cr_overwrite", "harmless\u240DEVIL"},
    {"newline_row", "first\u240Asecond row"},
    {"tab_bs", "a b\u2408c\u2421"},
    {"nul_inside", "before\u2400after"},
    {"wide_cjk", "\u5c71\u7530\u592a\u90ce\u306e\u4f1a\u793e"},
    {"combining", "Zoe\u0308 Cafe\u0301"},
    {"emoji_zwj", "\U0001F469\uFFFD\U0001F4BB dev"},
    {"invalid_utf8_ff", "\uFFFD\uFFFD\uFFFD"},
    {"overlong_slash", "\uFFFD\uFFFD"},
    {"surrogate", "\uFFFD\uFFFD\uFFFD"},
    {"raw_c1_csi", "\uFFFD2J"},
    {"truncated", "\uFFFD"},
};

static void check_fixture_entry(const char *name, const char *bytes, size_t len)
{
    assert_both_props(bytes, len);
    for (size_t i = 0; i < sizeof(fixture_expect) / sizeof(fixture_expect[0]); i++) {
        if (strcmp(fixture_expect[i].name, name) != 0)
            continue;
        char *out = sanitize_str(bytes, len, 0);
        if (strcmp(out, fixture_expect[i].str) != 0)
            fprintf(stderr, "%s: got \"%s\"\n", name, out);
        assert_string_equal(out, fixture_expect[i].str);
        free(out);
    }
}

static void test_fixture_strings(void **state)
{
    (void)state;
    size_t flen = 0;
    char *raw = read_fixture(&flen);
    assert_non_null(raw);
    cJSON *root = cJSON_ParseWithLength(raw, flen);
    assert_non_null(root);
    cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
    cJSON *hex = cJSON_GetObjectItemCaseSensitive(root, "raw_hex");
    assert_true(cJSON_IsArray(text));
    assert_true(cJSON_IsArray(hex));

    /* Text entries: decoded from the raw file so that U+0000 survives. */
    int idx = 0;
    const char *p = raw;
    while ((p = strstr(p, "\"text\": \"")) != NULL) {
        p += strlen("\"text\": \"");
        char *buf = malloc(strlen(p) + 1);
        size_t used;
        assert_non_null(buf);
        size_t len = json_unescape(p, buf, &used);
        cJSON *entry = cJSON_GetArrayItem(text, idx);
        assert_non_null(entry);
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "name"));
        assert_non_null(name);
        /* Where cJSON could read it whole, both readings agree. */
        const char *cj = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "text"));
        assert_non_null(cj);
        assert_memory_equal(cj, buf, strlen(cj));
        check_fixture_entry(name, buf, len);
        free(buf);
        p += used;
        idx++;
    }
    assert_int_equal(idx, cJSON_GetArraySize(text));
    assert_true(idx >= 15);

    cJSON *entry;
    int nhex = 0;
    cJSON_ArrayForEach(entry, hex)
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "name"));
        const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "hex"));
        assert_non_null(name);
        assert_non_null(h);
        char bytes[256];
        size_t n = 0;
        char *end;
        for (const char *q = h; *q;) {
            unsigned long v = strtoul(q, &end, 16);
            if (end == q)
                break;
            bytes[n++] = (char)v;
            q = end;
        }
        assert_true(n > 0);
        check_fixture_entry(name, bytes, n);
        nhex++;
    }
    assert_true(nhex >= 5);
    cJSON_Delete(root);
    free(raw);
}

/* Our own table: input bytes, what sanitize_str and sanitize_text make of them. */
static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    const char *str;
    const char *text;
} cases[] = {
    {"", 0, "", ""},
    {"plain", 0, "plain", "plain"},
    {"\x1b[2J", 0, "\u241B[2J", "\u241B[2J"},
    {"\x1b]0;title\x07", 0, "\u241B]0;title\u2407", "\u241B]0;title\u2407"},
    {"\x1b]8;;http://x/\x1b\\a\x1b]8;;\x1b\\", 0, "\u241B]8;;http://x/\u241B\\a\u241B]8;;\u241B\\",
     "\u241B]8;;http://x/\u241B\\a\u241B]8;;\u241B\\"},
    {"\x1b]52;c;cHduZWQ=\x07", 0, "\u241B]52;c;cHduZWQ=\u2407", "\u241B]52;c;cHduZWQ=\u2407"},
    {"\x1bP1$r\x1b\\", 0, "\u241BP1$r\u241B\\", "\u241BP1$r\u241B\\"},
    {"a\x9b"
     "2J",
     0, "a\uFFFD2J", "a\uFFFD2J"},
    {"a\xc2\x9b"
     "2J",
     0, "a\uFFFD2J", "a\uFFFD2J"},
    {"\xc2\x80\xc2\x9f", 0, "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
    {"x\u202ey", 0, "x\uFFFDy", "x\uFFFDy"},
    {"\u200e\u200f\u061c", 0, "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
    {"\xc0\xaf", 0, "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
    {"\xe0\x80\xaf", 0, "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
    {"\xf0\x80\x80\xaf", 0, "\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD"},
    {"\xed\xa0\x80", 0, "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
    {"\xed\xbf\xbf", 0, "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
    {"\xf4\x90\x80\x80", 0, "\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD"},
    {"\xf5\x80", 0, "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
    {"\xe2\x82\x41", 0, "\uFFFDA", "\uFFFDA"},
    {"\xf0\x9f\x98", 0, "\uFFFD", "\uFFFD"},
    {"\xe2\x82\xac \xf4\x8f\xbf\xbd", 0, "\u20ac \U0010FFFD", "\u20ac \U0010FFFD"},
    {"a\0b", 3, "a\u2400b", "a\u2400b"},
    {"\0", 1, "\u2400", "\u2400"},
    {"a\rb", 0, "a\u240Db", "a\u240Db"},
    {"a\r\nb", 0, "a\u240Ab", "a\nb"},
    {"a\nb\n", 0, "a\u240Ab\u240A", "a\nb\n"},
    {"a\r\r\nb", 0, "a\u240D\u240Ab", "a\u240D\nb"},
    {"a\tb", 0, "a b", "a b"},
    {"\x7f", 0, "\u2421", "\u2421"},
    {"\x07\x08\x0b\x0c", 0, "\u2407\u2408\u240B\u240C", "\u2407\u2408\u240B\u240C"},
    {"a\u200bb\u200cc\u200dd\u2060e\ufeff", 0, "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD",
     "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD"},
    {"\U000E0041", 0, "\uFFFD", "\uFFFD"},
    {"\xef\xbf\xbe", 0, "\uFFFD", "\uFFFD"},
    /* already sanitized text stays as it is */
    {"\u241B[2J\uFFFD\u2400", 0, "\u241B[2J\uFFFD\u2400", "\u241B[2J\uFFFD\u2400"},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        char *s = sanitize_str(cases[i].in, len, 0);
        char *t = sanitize_text(cases[i].in, len, 0);
        if (strcmp(s, cases[i].str) != 0 || strcmp(t, cases[i].text) != 0)
            fprintf(stderr, "case %zu: str \"%s\" text \"%s\"\n", i, s, t);
        assert_string_equal(s, cases[i].str);
        assert_string_equal(t, cases[i].text);
        free(s);
        free(t);
        assert_both_props(cases[i].in, len);
    }
}

static void test_null_input(void **state)
{
    (void)state;
    char *s = sanitize_str(NULL, 5, 0);
    assert_string_equal(s, "");
    free(s);
}

static void test_cap(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t cap;
        const char *out;
    } caps[] = {
        {"abcdefghij", 10, "abcdefghij"},
        {"abcdefghij", 9, "abcdef\u2026"},
        {"abcdefghijk", 10, "abcdefg\u2026"},
        {"\u00c4\u00c4\u00c4\u00c4\u00c4\u00c4\u00c4", 10, "\u00c4\u00c4\u00c4\u2026"},
        {"\u5c71\u7530\u592a\u90ce", 8, "\u5c71\u2026"},
        {"\U0001F469\U0001F469", 7, "\U0001F469\u2026"},
        {"\U0001F469\U0001F469", 6, "\u2026"},
        {"\x1b\x1b\x1b\x1b", 10, "\u241B\u241B\u2026"},
        {"abc", 2, "ab"},
        {"abc", 1, "a"},
        {"\u00c4b", 1, ""},
        {"abc", 3, "abc"},
        {"abcd", 3, "\u2026"},
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        char *s = sanitize_str(caps[i].in, strlen(caps[i].in), caps[i].cap);
        if (strcmp(s, caps[i].out) != 0)
            fprintf(stderr, "cap case %zu: \"%s\"\n", i, s);
        assert_string_equal(s, caps[i].out);
        assert_true(strlen(s) <= caps[i].cap);
        char *again = sanitize_str(s, strlen(s), caps[i].cap);
        assert_string_equal(again, s);
        free(again);
        free(s);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_ten_megabytes(void **state)
{
    (void)state;
    size_t len = 10u * 1024 * 1024;
    char *big = malloc(len);
    assert_non_null(big);
    /* A mix of the worst: ESC sequences, raw C1, broken UTF-8, wide text. */
    static const char unit[] = "\x1b[2J\x9b\xed\xa0\x80\xe5\xb1\xb1\u202e\r\n\0";
    for (size_t i = 0; i < len; i++)
        big[i] = unit[i % (sizeof(unit) - 1)];

    double t0 = now_s();
    char *s = sanitize_str(big, len, 0);
    double t1 = now_s();
    assert_true(strlen(s) <= SANITIZE_MAX_BYTES);
    assert_true(strlen(s) >= SANITIZE_MAX_BYTES - 6);
    assert_memory_equal(s + strlen(s) - 3, "\u2026", 3);
    assert_true(t1 - t0 < 0.5);
    assert_props(big, len, 0, 0);
    assert_props(big, len, 0, 1);
    free(s);

    /* Whole, with a cap large enough: linear time. */
    size_t cap = 40u * 1024 * 1024;
    t0 = now_s();
    s = sanitize_text(big, len, cap);
    t1 = now_s();
    assert_true(strlen(s) <= cap);
    assert_true(strlen(s) > len);
    assert_memory_equal(s, "\u241B[2J\uFFFD", 7);
    assert_true(t1 - t0 < 5.0);
    assert_true(utf8_count((const unsigned char *)s, strlen(s), NULL, 0) > 0);
    free(s);
    free(big);
}

/* Random bytes biased towards the interesting ones; a fixed seed. */
static uint32_t rng_state = 0x9E3779B9u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void test_random_properties(void **state)
{
    (void)state;
    static const unsigned char pool[] = {0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x5b, 0x41, 0x7f,
                                         0x80, 0x9b, 0x9f, 0xbf, 0xc0, 0xc2, 0xe0, 0xe2, 0x80,
                                         0x8e, 0xed, 0xa0, 0xef, 0xbb, 0xf0, 0xf4, 0xf5, 0xff};
    unsigned char buf[64];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = rng() % sizeof(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = (rng() & 1) ? pool[rng() % sizeof(pool)] : (unsigned char)rng();
        size_t cap = (iter % 3 == 0) ? 1 + rng() % 40 : 0;
        assert_props((const char *)buf, len, cap, 0);
        assert_props((const char *)buf, len, cap, 1);
    }
}

static void test_width(void **state)
{
    (void)state;
    /* The table does not depend on the locale. */
    setlocale(LC_ALL, "C");
    static const struct {
        const char *s;
        int w;
    } widths[] = {
        {"", 0},
        {"abc", 3},
        {"\u5c71\u7530", 4},
        {"Zoe\u0308", 3},
        {"Cafe\u0301 ", 5},
        {"\U0001F469", 2},
        {"\uFF21", 2},             /* fullwidth A */
        {"\uFFFD\u241B\u2400", 3}, /* what the sanitizer writes */
        {"\u0915\u094D\u0937", 2}, /* Devanagari with a virama */
        {"\uac00\u1161", 2},       /* Hangul syllable + medial vowel */
        {"a\nb", 2},
        {"\xff", 1},
    };
    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        if (sanitize_width(widths[i].s) != widths[i].w)
            fprintf(stderr, "width case %zu: %d\n", i, sanitize_width(widths[i].s));
        assert_int_equal(sanitize_width(widths[i].s), widths[i].w);
    }
    assert_int_equal(sanitize_width(NULL), 0);
}

static void test_clip(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int cols;
        size_t bytes;
        int used;
    } clips[] = {
        {"", 5, 0, 0},
        {"abc", 0, 0, 0},
        {"abc", -3, 0, 0},
        {"abc", 2, 2, 2},
        {"abc", 10, 3, 3},
        {"\u5c71\u7530\u592a", 1, 0, 0},
        {"\u5c71\u7530\u592a", 3, 3, 2},
        {"\u5c71\u7530\u592a", 4, 6, 4},
        {"a\u5c71", 2, 1, 1},
        {"Zoe\u0308 x", 3, 5, 3},
        {"e\u0301\u0301", 1, 5, 1},
        {"\U0001F469x", 1, 0, 0},
        {"\U0001F469x", 2, 4, 2},
    };
    for (size_t i = 0; i < sizeof(clips) / sizeof(clips[0]); i++) {
        int used = -1;
        size_t b = sanitize_clip(clips[i].s, clips[i].cols, &used);
        if (b != clips[i].bytes || used != clips[i].used)
            fprintf(stderr, "clip case %zu: %zu bytes, %d cols\n", i, b, used);
        assert_int_equal(b, clips[i].bytes);
        assert_int_equal(used, clips[i].used);
    }
    assert_int_equal(sanitize_clip("abc", 2, NULL), 2);
}

/* Clipping any sanitized string at any width gives a whole-character prefix
 * whose width is what *used says and no more than asked. */
static void test_clip_properties(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a",      "\u5c71", "\u0308", "\U0001F469",
                                         "\u00e9", "\uFF21", " ",      "\u0301"};
    char buf[256];
    for (int iter = 0; iter < 2000; iter++) {
        size_t n = 0;
        int parts = (int)(rng() % 20);
        for (int k = 0; k < parts; k++) {
            const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
            memcpy(buf + n, p, strlen(p));
            n += strlen(p);
        }
        buf[n] = '\0';
        int total = sanitize_width(buf);
        for (int cols = 0; cols <= total + 1; cols++) {
            int used;
            size_t b = sanitize_clip(buf, cols, &used);
            assert_true(used <= cols);
            assert_true(b <= n);
            /* a character boundary: the next byte is not a continuation */
            assert_true(b == n || ((unsigned char)buf[b] & 0xC0) != 0x80);
            char save = buf[b];
            buf[b] = '\0';
            assert_int_equal(sanitize_width(buf), used);
            buf[b] = save;
            /* longest: the next character would not fit */
            if (b < n) {
                int next_used;
                size_t nb = sanitize_clip(buf + b, 100, &next_used);
                (void)nb;
                size_t step = 1;
                while (b + step < n && ((unsigned char)buf[b + step] & 0xC0) == 0x80)
                    step++;
                char one[8] = {0};
                memcpy(one, buf + b, step);
                assert_true(used + sanitize_width(one) > cols);
            }
            if (cols >= total)
                assert_int_equal(b, n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_input),      cmocka_unit_test(test_table),
        cmocka_unit_test(test_fixture_strings), cmocka_unit_test(test_cap),
        cmocka_unit_test(test_ten_megabytes),   cmocka_unit_test(test_random_properties),
        cmocka_unit_test(test_width),           cmocka_unit_test(test_clip),
        cmocka_unit_test(test_clip_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

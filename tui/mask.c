/* Masked mode: the masks of personal values and the one timed reveal. */
#include "tui/mask.h"

#include <string.h>
#include <time.h>

static struct {
    bool on;
    bool revealing;
    int64_t contact_id;
    enum mask_field field;
    long long until_ms;
} mk;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mask_set(bool on)
{
    mk.on = on;
}

bool mask_enabled(void)
{
    return mk.on;
}

const char *mask_field_name(enum mask_field f)
{
    static const char *const names[MASK_FIELD_COUNT] = {"name", "email", "phone", "address"};
    return (unsigned)f < MASK_FIELD_COUNT ? names[f] : "name";
}

enum mask_field mask_next_field(enum mask_field f)
{
    return (enum mask_field)(((unsigned)f + 1) % MASK_FIELD_COUNT);
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return i;
    return n;
}

struct out {
    char *p;
    size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap)
        return; /* whole characters only */
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Words: the first character of each kept, the others starred; spaces and
 * punctuation between words kept. */
static void mask_words(const char *v, struct out *o)
{
    bool word_start = true;
    while (*v) {
        size_t n = char_len(v);
        unsigned char c = (unsigned char)*v;
        bool sep = c == ' ' || c == ',' || c == '-' || c == '.' || c == '\'' || c == '/';
        if (sep) {
            put(o, v, n);
            word_start = true;
        } else if (word_start) {
            /* a word of one character is starred whole */
            unsigned char nx = (unsigned char)v[n];
            bool alone =
                !nx || nx == ' ' || nx == ',' || nx == '-' || nx == '.' || nx == '\'' || nx == '/';
            put(o, alone ? "*" : v, alone ? 1 : n);
            word_start = false;
        } else {
            put(o, "*", 1);
        }
        v += n;
    }
}

static void mask_email(const char *v, struct out *o)
{
    const char *at = strrchr(v, '@');
    if (!at) {
        mask_words(v, o);
        return;
    }
    if (at > v) {
        put(o, v, char_len(v));
        put(o, "***", 3);
    }
    put(o, "@", 1);
    const char *dom = at + 1, *last = strrchr(dom, '.');
    const char *p = dom;
    bool label_start = true;
    while (*p && (!last || p < last)) {
        size_t n = char_len(p);
        if (*p == '.') {
            put(o, ".", 1);
            label_start = true;
        } else if (label_start) {
            put(o, p, n);
            label_start = false;
        } else {
            put(o, "*", 1);
        }
        p += n;
    }
    if (last)
        put(o, last, strlen(last)); /* the top-level domain stays */
}

static void mask_phone(const char *v, struct out *o)
{
    size_t digits = 0, seen = 0, i = 0, keep_head = 0;
    for (const char *p = v; *p; p++)
        digits += *p >= '0' && *p <= '9';
    /* a leading +country code stays */
    if (v[0] == '+') {
        put(o, "+", 1);
        i = 1;
        while (v[i] >= '0' && v[i] <= '9' && keep_head < 3) {
            put(o, v + i, 1);
            i++;
            keep_head++;
            seen++;
        }
    }
    for (; v[i]; i++) {
        char c = v[i];
        if (c >= '0' && c <= '9') {
            seen++;
            put(o, seen + 2 > digits ? &v[i] : "*", 1);
        } else {
            size_t n = char_len(v + i);
            put(o, v + i, n);
            i += n - 1;
        }
    }
}

void mask_format(enum mask_field f, const char *value, char *out, size_t outlen)
{
    struct out o = {out, 0, outlen};
    if (!outlen)
        return;
    out[0] = '\0';
    if (!value)
        return;
    switch (f) {
    case MASK_EMAIL:
        mask_email(value, &o);
        break;
    case MASK_PHONE:
        mask_phone(value, &o);
        break;
    case MASK_NAME:
    case MASK_ADDRESS:
    case MASK_FIELD_COUNT:
        mask_words(value, &o);
        break;
    }
}

const char *mask_show(int64_t contact_id, enum mask_field f, const char *value, char *buf,
                      size_t len)
{
    if (!value || !mk.on)
        return value;
    if (mk.revealing && mk.contact_id == contact_id && mk.field == f && now_ms() < mk.until_ms)
        return value;
    mask_format(f, value, buf, len);
    return buf;
}

void mask_reveal(int64_t contact_id, enum mask_field f)
{
    mk.revealing = true;
    mk.contact_id = contact_id;
    mk.field = f;
    mk.until_ms = now_ms() + MASK_REVEAL_MS;
}

bool mask_reveal_ended(void)
{
    if (!mk.revealing || now_ms() < mk.until_ms)
        return false;
    mk.revealing = false;
    return true;
}

long mask_reveal_left_ms(void)
{
    if (!mk.revealing)
        return -1;
    long long left = mk.until_ms - now_ms();
    return left < 0 ? 0 : (long)left;
}

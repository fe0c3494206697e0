/* The sanitizer: every string from the server passes it once, where it enters
 * the store. Output is valid UTF-8 with no C0/C1 control, DEL, ESC, bidi
 * override or isolate; zero-width characters are made visible; length capped.
 * Also the width-aware clipping the columns use. */
#ifndef CRM_SANITIZE_H
#define CRM_SANITIZE_H

#include <stddef.h>

/* Default cap on a sanitized string, in bytes of output. */
#define SANITIZE_MAX_BYTES 4096

/* Returns a new NUL-terminated sanitized copy of in[0..len) (in may hold NULs
 * and invalid UTF-8), at most cap bytes long plus NUL (cap 0: the default).
 * Invalid sequences become U+FFFD; controls become visible (U+FFFD or "^X"
 * style as documented in the .c); a clipped string ends in "…". Idempotent:
 * sanitize(sanitize(x)) == sanitize(x). Never returns NULL (aborts on OOM). */
char *sanitize_str(const char *in, size_t len, size_t cap);

/* Like sanitize_str but keeps newlines (for notes and multi-line text shown
 * line by line); every other control is treated as above. */
char *sanitize_text(const char *in, size_t len, size_t cap);

/* Display columns of a sanitized string (wcwidth per character). */
int sanitize_width(const char *s);

/* Bytes of the longest prefix of s that fits in cols columns without cutting a
 * character; *used receives the columns that prefix takes (may be NULL). */
size_t sanitize_clip(const char *s, int cols, int *used);

#endif

/* Allocation for tui/: failure prints one line and aborts, so callers need no
 * out-of-memory paths for local data (network-filled buffers are capped in core/). */
#ifndef TUI_XALLOC_H
#define TUI_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
/* realloc of n * size bytes, refusing an overflowing product. */
void *xreallocarray(void *p, size_t n, size_t size);
/* A copy of s; NULL gives NULL. */
char *xstrdup(const char *s);
/* A copy of the first n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);

#endif

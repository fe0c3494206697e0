/* Masked mode: names, emails, phones and addresses drawn as masks ("A***
 * S****", "a***@e******.com", "+55 ** ****-**12"), and the reveal of one
 * field of one contact for a few seconds. No curses: views call mask_show
 * where they draw a value. */
#ifndef CRM_TUI_MASK_H
#define CRM_TUI_MASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mask_field { MASK_NAME, MASK_EMAIL, MASK_PHONE, MASK_ADDRESS, MASK_FIELD_COUNT };

/* How long a reveal lasts. */
#define MASK_REVEAL_MS 5000

/* Masked mode on or off (off at start). */
void mask_set(bool on);
bool mask_enabled(void);

/* "name", "email", "phone", "address" (the audit's field names); static. */
const char *mask_field_name(enum mask_field f);
/* The field after f, wrapping (for Tab through the fields). */
enum mask_field mask_next_field(enum mask_field f);

/* Writes the mask of value (NULL: empty) into out (always NUL-terminated):
 * a name or address keeps each word's first character (a word of one
 * character is starred whole), an email the first
 * character of its local part and of each domain label but the last, a phone
 * its leading +country code, separators and last two digits; every other
 * character is one '*' (a multi-byte character is one '*'). */
void mask_format(enum mask_field f, const char *value, char *out, size_t outlen);

/* What a view draws for field f of contact_id: value itself when masked mode
 * is off or this field of this contact is revealed now, else its mask written
 * into buf. NULL value gives NULL. */
const char *mask_show(int64_t contact_id, enum mask_field f, const char *value, char *buf,
                      size_t len);

/* Reveals field f of contact_id for MASK_REVEAL_MS from now (one at a time:
 * it replaces an earlier reveal). */
void mask_reveal(int64_t contact_id, enum mask_field f);
/* True once after a reveal has run out (the screen should be redrawn); the
 * reveal is then cleared. */
bool mask_reveal_ended(void);
/* Milliseconds until the current reveal ends; -1 when none. */
long mask_reveal_left_ms(void);

#endif

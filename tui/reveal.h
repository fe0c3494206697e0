/* Masked mode in the interface: the reveal key (audited on the server before
 * the value shows) and the :mask toggle. */
#ifndef CRM_TUI_REVEAL_H
#define CRM_TUI_REVEAL_H

#include <stdint.h>

struct app;

/* The reveal key on contact_id: asks the server to audit the reveal of the
 * contact's name (pressed again on the same contact while a reveal runs: the
 * next field), then shows it for MASK_REVEAL_MS. Says why when masked mode is
 * off, no contact is selected, or the audit fails (then nothing is shown). */
void reveal_key(struct app *app, int64_t contact_id);

/* :mask: masked mode on or off, the screen redrawn. */
void reveal_toggle_mask(struct app *app);

#endif

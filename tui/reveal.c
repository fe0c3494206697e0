/* The reveal key and the :mask command: a field is shown only once the
 * server has written its contact.reveal audit entry. */
#include "tui/reveal.h"

#include "core/api_reveal.h"
#include "tui/app.h"
#include "tui/mask.h"

static struct {
    bool pending;
    int64_t contact_id, last_contact;
    enum mask_field field, last_field;
} rv;

static void on_audited(struct crm_reply *r, void *ud)
{
    struct app *app = ud;
    rv.pending = false;
    if (r->status != CRM_OK) {
        app_warn(app, "the reveal could not be audited, so it is not shown: %s", r->message);
    } else {
        mask_reveal(rv.contact_id, rv.field);
        rv.last_contact = rv.contact_id;
        rv.last_field = rv.field;
        app_message(app, "%s shown for %d s (* again: the next field)", mask_field_name(rv.field),
                    MASK_REVEAL_MS / 1000);
        app->full_redraw = true;
    }
    crm_reply_free(&r);
}

void reveal_key(struct app *app, int64_t contact_id)
{
    if (!mask_enabled()) {
        app_message(app, "masked mode is off (:mask turns it on)");
        return;
    }
    if (contact_id <= 0) {
        app_message(app, "no contact selected");
        return;
    }
    if (rv.pending)
        return;
    enum mask_field f = MASK_NAME;
    if (rv.last_contact == contact_id && mask_reveal_left_ms() >= 0)
        f = mask_next_field(rv.last_field);
    rv.contact_id = contact_id;
    rv.field = f;
    if (api_audit_reveal(app->client, contact_id, mask_field_name(f), on_audited, app))
        rv.pending = true;
    else
        app_warn(app, "the reveal could not be sent");
}

void reveal_toggle_mask(struct app *app)
{
    mask_set(!mask_enabled());
    app_message(app, mask_enabled() ? "masked mode on (* reveals a field)" : "masked mode off");
    app->full_redraw = true;
}

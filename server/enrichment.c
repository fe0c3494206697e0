/* Profile enrichment: when the account allows it, a new contact with an
 * email gets the four profile fields filled, and an activity says so. */
#include "server/enrichment.h"

#include <stdio.h>
#include <string.h>

#include "server/handlers_activities.h"
#include "server/handlers_settings.h"
#include "server/json.h"

#define HANDLE_MAX 64 /* characters of the email's local part used as a handle */

/* The handle: the email's local part, letters, digits, '.', '-' and '_' only. */
static void handle_of(const char *email, char *out, size_t outlen)
{
    size_t n = 0;

    for (; *email && *email != '@' && n + 1 < outlen && n < HANDLE_MAX; email++) {
        char c = *email;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_')
            out[n++] = c;
    }
    out[n] = '\0';
}

/* The made-up value of field i for handle. */
static void profile_value(size_t i, const char *handle, char *out, size_t outlen)
{
    switch (i) {
    case 0:
        snprintf(out, outlen, "https://facebook.example.com/%s", handle);
        break;
    case 1:
        snprintf(out, outlen, "@%s", handle);
        break;
    case 2:
        snprintf(out, outlen, "https://linkedin.example.com/in/%s", handle);
        break;
    default:
        snprintf(out, outlen, "https://avatars.example.com/%s.png", handle);
        break;
    }
}

int enrichment_apply(sqlite3 *db, int64_t contact_id, int64_t now)
{
    static const char *const fields[] = {"facebook", "twitter", "linkedin", "avatar"};
    sqlite3_stmt *st = NULL;
    char handle[HANDLE_MAX + 1], value[160];
    cJSON *data = NULL, *names;
    int on, filled = 0, rc = -1;
    size_t i;

    if ((on = handlers_settings_get(db, "auto_profile_enrichment")) <= 0)
        return on;
    if (sqlite3_prepare_v2(db,
                           "SELECT email, facebook IS NULL, twitter IS NULL, linkedin IS NULL,"
                           " avatar IS NULL FROM contacts WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, contact_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = 0;
        goto out;
    }
    handle_of(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "", handle,
              sizeof handle);
    if (!handle[0]) {
        rc = 0;
        goto out;
    }
    int empty[4];
    for (i = 0; i < 4; i++)
        empty[i] = sqlite3_column_int(st, (int)i + 1);
    sqlite3_finalize(st);
    st = NULL;
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", "enrichment");
    names = cJSON_AddArrayToObject(data, "fields");
    for (i = 0; i < 4; i++) {
        static const char *const updates[] = {
            "UPDATE contacts SET facebook = ?1 WHERE id = ?2",
            "UPDATE contacts SET twitter = ?1 WHERE id = ?2",
            "UPDATE contacts SET linkedin = ?1 WHERE id = ?2",
            "UPDATE contacts SET avatar = ?1 WHERE id = ?2",
        };
        if (!empty[i])
            continue;
        profile_value(i, handle, value, sizeof value);
        if (sqlite3_prepare_v2(db, updates[i], -1, &st, NULL) != SQLITE_OK)
            goto out;
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, contact_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto out;
        sqlite3_finalize(st);
        st = NULL;
        cJSON_AddItemToArray(names, cJSON_CreateString(fields[i]));
        filled++;
    }
    if (filled == 0) {
        rc = 0;
        goto out;
    }
    rc = handlers_activities_add(db, contact_id, 0, "enriched", data, now) < 0 ? -1 : filled;
    data = NULL; /* taken */
out:
    sqlite3_finalize(st);
    cJSON_Delete(data);
    return rc;
}

/* The account, the demo users and the synthetic demo data of `crm-server init`. */
#ifndef CRM_SERVER_SEED_H
#define CRM_SERVER_SEED_H

#include <sqlite3.h>
#include <stdio.h>

/* Creates the account ("acme"), its secret, the default settings, processors,
 * phone numbers, forms and the users ana (admin), bruno (agent, may export
 * reports) and carla (agent, may forget), each with a fresh random API key
 * stored hashed. Writes "name role key" lines to keys_out when not NULL.
 * Returns 0, or -1 with a sentence in err. */
int seed_account(sqlite3 *db, FILE *keys_out, char *err, size_t errlen);

/* Seeds n synthetic contacts with companies, deals, timelines (consent events
 * of every source), notes, calls with recordings and chats. Deterministic for
 * a given n. Returns 0, or -1 with a sentence in err. */
int seed_demo(sqlite3 *db, long n, char *err, size_t errlen);

/* The demo contact that shows everything, for the UI tests: consent events of
 * every source (web_form, email_link, quick_action, api, import, enrichment,
 * system), a withdrawal and re-consent, notes, an automatic recording and a
 * manual one with consent, a chat, enrichment; live, not DND, in a company. */
#define SEED_SHOWCASE_CONTACT 1

#endif

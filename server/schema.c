/* The crm-server database schema. Every table that holds personal data about a
 * contact references contacts(id) ON DELETE CASCADE, so one DELETE erases it. */
#include "server/schema.h"

/* The schema is one string, longer than the 4095 characters ISO C requires
 * compilers to accept; GCC and Clang take it. */
#pragma GCC diagnostic ignored "-Woverlength-strings"

const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS account ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','cancellation_pending')),"
    " purge_at INTEGER," /* unix seconds, NULL when active */
    " call_data_purge_at INTEGER,"
    " secret BLOB NOT NULL," /* HMAC key for audit subject references */
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE IF NOT EXISTS settings ("
    " name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL);"

    "CREATE TABLE IF NOT EXISTS users ("
    " id INTEGER PRIMARY KEY,"
    " display_name TEXT,"
    " email TEXT,"
    " role TEXT NOT NULL CHECK (role IN ('admin','agent')),"
    " is_active INTEGER NOT NULL DEFAULT 1,"
    " perm_export_reports INTEGER NOT NULL DEFAULT 0,"
    " perm_forget_records INTEGER NOT NULL DEFAULT 0,"
    " key_hash BLOB UNIQUE," /* SHA-256 of the API key; NULL once deleted */
    " is_deleted INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL);"

    "CREATE TABLE IF NOT EXISTS companies ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " website TEXT, phone TEXT, address TEXT, city TEXT, country TEXT,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " is_deleted INTEGER NOT NULL DEFAULT 0,"
    " deleted_at INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS companies_name ON companies(name COLLATE NOCASE, id);"

    "CREATE TABLE IF NOT EXISTS deals ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " amount TEXT NOT NULL DEFAULT '0.0',"
    " sales_account_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS deals_company ON deals(sales_account_id);"

    "CREATE TABLE IF NOT EXISTS contacts ("
    " id INTEGER PRIMARY KEY,"
    " first_name TEXT, last_name TEXT,"
    " email TEXT," /* primary email, mirrored from contact_emails */
    " mobile_number TEXT, work_number TEXT,"
    " job_title TEXT, department TEXT,"
    " address TEXT, city TEXT, state TEXT, zipcode TEXT, country TEXT, time_zone TEXT,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " sales_account_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
    " lead_score INTEGER NOT NULL DEFAULT 0,"
    " do_not_disturb INTEGER NOT NULL DEFAULT 0,"
    " subscription_status INTEGER NOT NULL DEFAULT 2," /* 0 unsub, 1 sub, 2 not set */
    " unsubscription_reason TEXT,"
    " facebook TEXT, twitter TEXT, linkedin TEXT, avatar TEXT," /* enrichment fills these */
    " custom_field TEXT NOT NULL DEFAULT '{}',"                 /* JSON object of cf_* */
    " tags TEXT NOT NULL DEFAULT '[]',"                         /* JSON array of strings */
    " chat_events_timeline INTEGER NOT NULL DEFAULT 1,"
    " last_seen_ip TEXT,"
    " is_deleted INTEGER NOT NULL DEFAULT 0,"
    " deleted_at INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    /* Paging by each sort key, live and recycle-bin views alike. */
    "CREATE INDEX IF NOT EXISTS contacts_by_updated ON contacts(is_deleted, updated_at, id);"
    "CREATE INDEX IF NOT EXISTS contacts_by_created ON contacts(is_deleted, created_at, id);"
    "CREATE INDEX IF NOT EXISTS contacts_by_last ON contacts(is_deleted, last_name COLLATE NOCASE, "
    "id);"
    "CREATE INDEX IF NOT EXISTS contacts_by_first ON contacts(is_deleted, first_name COLLATE "
    "NOCASE, id);"
    "CREATE INDEX IF NOT EXISTS contacts_by_email ON contacts(is_deleted, email COLLATE NOCASE, "
    "id);"
    "CREATE INDEX IF NOT EXISTS contacts_by_owner ON contacts(owner_id, is_deleted);"
    "CREATE INDEX IF NOT EXISTS contacts_by_company ON contacts(sales_account_id);"
    "CREATE INDEX IF NOT EXISTS contacts_dnd ON contacts(is_deleted, do_not_disturb);"
    /* My Contacts in each sort order, and the default order (newest change
     * first) of Do Not Disturb, at any page depth. */
    "CREATE INDEX IF NOT EXISTS contacts_owner_updated ON contacts(owner_id, is_deleted, "
    "updated_at, id);"
    "CREATE INDEX IF NOT EXISTS contacts_owner_created ON contacts(owner_id, is_deleted, "
    "created_at, id);"
    "CREATE INDEX IF NOT EXISTS contacts_owner_last ON contacts(owner_id, is_deleted, "
    "last_name COLLATE NOCASE, id);"
    "CREATE INDEX IF NOT EXISTS contacts_owner_first ON contacts(owner_id, is_deleted, "
    "first_name COLLATE NOCASE, id);"
    "CREATE INDEX IF NOT EXISTS contacts_owner_email ON contacts(owner_id, is_deleted, "
    "email COLLATE NOCASE, id);"
    "CREATE INDEX IF NOT EXISTS contacts_dnd_updated ON contacts(is_deleted, do_not_disturb, "
    "updated_at, id);"
    /* Do Not Disturb in the other orders: partial indexes, small as the view. */
    "CREATE INDEX IF NOT EXISTS contacts_dnd_created ON contacts(is_deleted, do_not_disturb, "
    "created_at, id) WHERE is_deleted = 0 AND do_not_disturb = 1;"
    "CREATE INDEX IF NOT EXISTS contacts_dnd_last ON contacts(is_deleted, do_not_disturb, "
    "last_name COLLATE NOCASE, id) WHERE is_deleted = 0 AND do_not_disturb = 1;"
    "CREATE INDEX IF NOT EXISTS contacts_dnd_first ON contacts(is_deleted, do_not_disturb, "
    "first_name COLLATE NOCASE, id) WHERE is_deleted = 0 AND do_not_disturb = 1;"
    "CREATE INDEX IF NOT EXISTS contacts_dnd_email ON contacts(is_deleted, do_not_disturb, "
    "email COLLATE NOCASE, id) WHERE is_deleted = 0 AND do_not_disturb = 1;"

    "CREATE TABLE IF NOT EXISTS contact_emails ("
    " id INTEGER PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " value TEXT NOT NULL,"
    " is_primary INTEGER NOT NULL DEFAULT 0,"
    " label TEXT);"
    "CREATE INDEX IF NOT EXISTS contact_emails_contact ON contact_emails(contact_id);"
    "CREATE INDEX IF NOT EXISTS contact_emails_value ON contact_emails(value COLLATE NOCASE);"

    /* Prefix-searchable terms: lowercased name words, email, its local part and
     * domain, phone digits. Rebuilt whenever those fields change. */
    "CREATE TABLE IF NOT EXISTS search_terms ("
    " term TEXT NOT NULL,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE);"
    "CREATE INDEX IF NOT EXISTS search_terms_term ON search_terms(term, contact_id);"
    "CREATE INDEX IF NOT EXISTS search_terms_contact ON search_terms(contact_id);"

    "CREATE TABLE IF NOT EXISTS subscriptions ("
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " purpose TEXT NOT NULL,"
    " PRIMARY KEY (contact_id, purpose));"

    "CREATE TABLE IF NOT EXISTS forms ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " purpose TEXT NOT NULL);"

    "CREATE TABLE IF NOT EXISTS activities ("
    " id INTEGER PRIMARY KEY," /* served as the string \"a-<id>\" */
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " action_type TEXT NOT NULL,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " action_data TEXT NOT NULL DEFAULT '{}'," /* JSON object */
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS activities_contact ON activities(contact_id, created_at, id);"

    "CREATE TABLE IF NOT EXISTS notes ("
    " id INTEGER PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " description TEXT NOT NULL,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS notes_contact ON notes(contact_id);"

    "CREATE TABLE IF NOT EXISTS phone_numbers ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL,"
    " recording TEXT NOT NULL DEFAULT 'automatic' CHECK (recording IN "
    "('automatic','manual','off')));"

    "CREATE TABLE IF NOT EXISTS calls ("
    " id INTEGER PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " phone_number_id INTEGER REFERENCES phone_numbers(id) ON DELETE SET NULL,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " direction TEXT NOT NULL CHECK (direction IN ('inbound','outbound')),"
    " started_at INTEGER NOT NULL,"
    " duration_s INTEGER NOT NULL DEFAULT 0,"
    " note TEXT);"
    "CREATE INDEX IF NOT EXISTS calls_contact ON calls(contact_id);"

    "CREATE TABLE IF NOT EXISTS recordings ("
    " id INTEGER PRIMARY KEY,"
    " call_id INTEGER NOT NULL UNIQUE REFERENCES calls(id) ON DELETE CASCADE,"
    " data BLOB NOT NULL," /* the audio bytes */
    " consent_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " consent_at INTEGER);"

    "CREATE TABLE IF NOT EXISTS chats ("
    " id INTEGER PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " started_at INTEGER NOT NULL,"
    " visitor_ip TEXT);"
    "CREATE INDEX IF NOT EXISTS chats_contact ON chats(contact_id);"
    "CREATE TABLE IF NOT EXISTS chat_messages ("
    " id INTEGER PRIMARY KEY,"
    " chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,"
    " sender TEXT NOT NULL CHECK (sender IN ('visitor','agent')),"
    " body TEXT NOT NULL,"
    " at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS chat_messages_chat ON chat_messages(chat_id);"

    /* Emails to contacts (1:1, opt-in requests). Erasure notices to processors
     * live in processor_notices and carry no personal data. */
    "CREATE TABLE IF NOT EXISTS outbox ("
    " id INTEGER PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK (kind IN ('email','optin')),"
    " to_addr TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'queued',"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS outbox_contact ON outbox(contact_id);"

    "CREATE TABLE IF NOT EXISTS tokens ("
    " token TEXT PRIMARY KEY,"
    " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK (kind IN ('unsubscribe','optin')),"
    " purpose TEXT,"
    " email TEXT," /* the address the link was sent to */
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tokens_contact ON tokens(contact_id);"

    "CREATE TABLE IF NOT EXISTS processors ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('enrichment','email_delivery','analytics')),"
    " endpoint TEXT);" /* where erasure notices are posted; NULL: not configured */
    "CREATE TABLE IF NOT EXISTS processor_notices ("
    " id INTEGER PRIMARY KEY,"
    " processor_id INTEGER NOT NULL REFERENCES processors(id) ON DELETE CASCADE,"
    " audit_id INTEGER REFERENCES audit(id) ON DELETE CASCADE,"
    " subject_ref TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),"
    " created_at INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " last_attempt_at INTEGER);"

    "CREATE TABLE IF NOT EXISTS audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_user_id INTEGER," /* no FK: the entry outlives the user */
    " action TEXT NOT NULL,"
    " subject_ref TEXT,"
    " counts TEXT NOT NULL DEFAULT '{}');"

    "CREATE TABLE IF NOT EXISTS privacy_requests ("
    " id INTEGER PRIMARY KEY,"
    " type TEXT NOT NULL CHECK (type IN ('access','erasure','rectification','portability')),"
    " subject_email TEXT,"
    " subject_ref TEXT,"
    " received_at INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL,"
    " extended_to INTEGER, extension_reason TEXT, subject_told_at INTEGER,"
    " status TEXT NOT NULL DEFAULT 'new'"
    "  CHECK (status IN ('new','verified','in_progress','done','rejected')),"
    " contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    " outcome TEXT);"

    /* The highest id ever given to a contact, kept when that contact is
     * deleted, so that a forgotten contact's id is never given out again. */
    "CREATE TABLE IF NOT EXISTS id_high_water ("
    " kind TEXT PRIMARY KEY,"
    " last_id INTEGER NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS contacts_high_water AFTER DELETE ON contacts BEGIN"
    " INSERT INTO id_high_water (kind, last_id) VALUES ('contact', OLD.id)"
    " ON CONFLICT (kind) DO UPDATE SET last_id = max(last_id, excluded.last_id);"
    " END;";

/* The crm-server database schema, declared once; db_open applies it. */
#ifndef CRM_SERVER_SCHEMA_H
#define CRM_SERVER_SCHEMA_H

/* SQL that creates every table and index (idempotent: IF NOT EXISTS). */
extern const char schema_sql[];

/* Schema version stored in PRAGMA user_version. */
#define SCHEMA_VERSION 1

#endif

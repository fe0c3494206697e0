/* Configuration and credentials: $XDG_CONFIG_HOME/crmtui/config (default
 * ~/.config/crmtui/config), profiles, environment overrides, and the API key
 * from CRMTUI_API_KEY, api_key_file or api_key_cmd. The key lives in locked
 * memory, excluded from core dumps, wiped by config_free. */
#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <stddef.h>

#include "core/status.h"

/* One "bind CONTEXT KEY ACTION" line, kept as text for tui/ to resolve. */
struct config_binding {
    char *context;
    char *key;
    char *action;
    int line;
};

struct config {
    char *profile; /* the profile in use, or NULL for the top level */
    char *url;
    char *api_key_file;
    char *api_key_cmd;
    char *ca_file;
    char *theme;
    char *debug_log;
    int per_page; /* 1..100, default 40 */
    int escdelay; /* ms; -1 when not set */
    struct config_binding *bindings;
    size_t n_bindings;
    char *api_key; /* resolved by config_load_key; locked memory */
};

/* Reads the config file (path NULL: the XDG default; a missing default file is
 * not an error), selects profile (NULL: "default" when it exists, else top
 * level), then applies CRMTUI_URL. On error returns CRM_ERR_CONFIG with
 * "FILE:LINE: what is wrong" in err. */
enum crm_status config_load(const char *path, const char *profile, struct config *out, char *err,
                            size_t errlen);

/* Resolves the API key: CRMTUI_API_KEY, else api_key_file (refused when group-
 * or world-readable, not owned by the user, or a symlink, with a sentence
 * saying how to fix it), else api_key_cmd (run without a shell; first line).
 * On failure returns CRM_ERR_KEY with the sentence in err. */
enum crm_status config_load_key(struct config *cfg, char *err, size_t errlen);

/* Frees everything, wiping the key first. */
void config_free(struct config *cfg);

/* Parses config text (for tests and fuzzing); same rules as config_load. */
enum crm_status config_parse(const char *text, size_t len, const char *name, const char *profile,
                             struct config *out, char *err, size_t errlen);

/* Memory for secrets: locked (mlock), excluded from core dumps where the system
 * allows (MADV_DONTDUMP), wiped before release. config_secret_dup copies the
 * len bytes of s and a NUL; with s NULL it gives len + 1 zero bytes to fill. */
char *config_secret_dup(const char *s, size_t len);
void config_secret_free(char **pp);

#endif

/* Fuzz target: the config file parser, with each of the ways a profile is
 * chosen, and the same text with CRLF line ends, which must read the same. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "tests/fuzz/fuzz_check.h"

#define FUZZ_HOME "/home/fuzz"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* the parse reads these: fix them so that a run is reproducible */
    setenv("HOME", FUZZ_HOME, 1);
    unsetenv("CRMTUI_URL");
    unsetenv("CRMTUI_PROFILE");
    return 0;
}

/* A value as stored: text with no control character but tab. */
static void fuzz_value(const char *v)
{
    if (v == NULL)
        return;
    FUZZ_ASSERT(v[0] != '\0');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        FUZZ_ASSERT((*p >= 0x20 || *p == '\t') && *p != 0x7F);
}

/* A path after ~/ expansion. */
static void fuzz_path(const char *v)
{
    fuzz_value(v);
    if (v != NULL)
        FUZZ_ASSERT(strncmp(v, "~/", 2) != 0);
}

/* A word of a binding: non-empty, no blank, no control. */
static void fuzz_word(const char *w)
{
    FUZZ_ASSERT(w != NULL && w[0] != '\0');
    fuzz_value(w);
    FUZZ_ASSERT(strpbrk(w, " \t") == NULL);
}

static void fuzz_config_ok(const struct config *c, const char *profile)
{
    FUZZ_ASSERT(c->per_page >= 1 && c->per_page <= 100);
    FUZZ_ASSERT(c->escdelay == -1 || (c->escdelay >= 0 && c->escdelay <= 10000));
    FUZZ_ASSERT(c->api_key == NULL);
    if (profile != NULL)
        FUZZ_ASSERT(c->profile != NULL && strcmp(c->profile, profile) == 0);
    else
        FUZZ_ASSERT(c->profile == NULL || strcmp(c->profile, "default") == 0);
    fuzz_value(c->url);
    fuzz_value(c->api_key_cmd);
    fuzz_value(c->theme);
    fuzz_path(c->api_key_file);
    fuzz_path(c->ca_file);
    fuzz_path(c->debug_log);
    FUZZ_ASSERT(c->n_bindings == 0 || c->bindings != NULL);
    for (size_t i = 0; i < c->n_bindings; i++) {
        fuzz_word(c->bindings[i].context);
        fuzz_word(c->bindings[i].key);
        fuzz_word(c->bindings[i].action);
        FUZZ_ASSERT(c->bindings[i].line >= 1);
        /* the top level's bindings, then the profile's, in file order */
        FUZZ_ASSERT(i == 0 || c->bindings[i].line > c->bindings[i - 1].line);
    }
}

/* A failed parse says where and leaves nothing behind. */
static void fuzz_config_failed(const struct config *c, const char *err)
{
    FUZZ_ASSERT(strncmp(err, "fuzz:", 5) == 0);
    FUZZ_ASSERT(c->url == NULL && c->api_key_file == NULL && c->api_key_cmd == NULL);
    FUZZ_ASSERT(c->ca_file == NULL && c->theme == NULL && c->debug_log == NULL);
    FUZZ_ASSERT(c->profile == NULL && c->bindings == NULL && c->n_bindings == 0);
    FUZZ_ASSERT(c->api_key == NULL);
}

static bool fuzz_same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void fuzz_same_config(const struct config *a, const struct config *b)
{
    FUZZ_ASSERT(fuzz_same_str(a->profile, b->profile) && fuzz_same_str(a->url, b->url));
    FUZZ_ASSERT(fuzz_same_str(a->api_key_file, b->api_key_file));
    FUZZ_ASSERT(fuzz_same_str(a->api_key_cmd, b->api_key_cmd));
    FUZZ_ASSERT(fuzz_same_str(a->ca_file, b->ca_file) && fuzz_same_str(a->theme, b->theme));
    FUZZ_ASSERT(fuzz_same_str(a->debug_log, b->debug_log));
    FUZZ_ASSERT(a->per_page == b->per_page && a->escdelay == b->escdelay);
    FUZZ_ASSERT(a->n_bindings == b->n_bindings);
    for (size_t i = 0; i < a->n_bindings; i++) {
        FUZZ_ASSERT(strcmp(a->bindings[i].context, b->bindings[i].context) == 0);
        FUZZ_ASSERT(strcmp(a->bindings[i].key, b->bindings[i].key) == 0);
        FUZZ_ASSERT(strcmp(a->bindings[i].action, b->bindings[i].action) == 0);
        FUZZ_ASSERT(a->bindings[i].line == b->bindings[i].line);
    }
}

/* text with LF line ends as CRLF; NULL when the text already holds a CR or a
 * line the extra byte would push past the length limit. */
static char *fuzz_crlf(const uint8_t *data, size_t size, size_t *out_len)
{
    size_t lines = 0, run = 0, o = 0;
    char *out;

    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\r')
            return NULL;
        if (data[i] == '\n') {
            lines++;
            run = 0;
        } else if (++run >= 4000) {
            return NULL;
        }
    }
    out = malloc(size + lines + 1);
    FUZZ_ASSERT(out != NULL);
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n')
            out[o++] = '\r';
        out[o++] = (char)data[i];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const profiles[] = {NULL, "default", "local", "a.b-c_9"};
    const char *text = (const char *)data;
    size_t crlf_len = 0;
    char *crlf = fuzz_crlf(data, size, &crlf_len);

    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
        struct config cfg, cfg2;
        char err[512] = "", err2[512] = "";
        enum crm_status st, st2;

        st = config_parse(text, size, "fuzz", profiles[i], &cfg, err, sizeof err);
        FUZZ_ASSERT(st == CRM_OK || st == CRM_ERR_CONFIG);
        if (st == CRM_OK)
            fuzz_config_ok(&cfg, profiles[i]);
        else
            fuzz_config_failed(&cfg, err);
        if (crlf != NULL) {
            st2 = config_parse(crlf, crlf_len, "fuzz", profiles[i], &cfg2, err2, sizeof err2);
            FUZZ_ASSERT(st2 == st);
            if (st == CRM_OK)
                fuzz_same_config(&cfg, &cfg2);
            else
                FUZZ_ASSERT(strcmp(err, err2) == 0);
            config_free(&cfg2);
        }
        config_free(&cfg);
        FUZZ_ASSERT(cfg.url == NULL && cfg.bindings == NULL);
    }
    free(crlf);
    return 0;
}

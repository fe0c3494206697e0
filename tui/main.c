/* crmtui: the command line, the configuration and the key, then the
 * interface. Every start-up error is one sentence on stderr, before curses. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api.h"
#include "core/config.h"
#include "tui/app.h"
#include "tui/batch-cli.h"
#include "tui/keymap.h"
#include "tui/mask.h"
#include "tui/theme.h"

#define CRMTUI_VERSION "0.4.0"

static const char usage[] =
    "usage: crmtui [--url URL] [--theme NAME] [--profile NAME] [--config FILE] [--masked]\n"
    "       crmtui export|forget|unsubscribe ... (crmtui export --help)\n"
    "       crmtui --help | --version | --keys-markdown\n"
    "\n"
    "A terminal client for a Freshworks CRM (Freshsales) account or crm-server.\n"
    "\n"
    "  --url URL        the API base URL (https://ACME.myfreshworks.com/crm/sales/api);\n"
    "                   overrides CRMTUI_URL and the config's url\n"
    "  --theme NAME     colour theme (default, mono, high-contrast, solarized-dark,\n"
    "                   colour-blind-safe); NO_COLOR selects mono\n"
    "  --profile NAME   the config profile to use (also CRMTUI_PROFILE)\n"
    "  --config FILE    read FILE instead of $XDG_CONFIG_HOME/crmtui/config\n"
    "  --masked         masked mode: names, emails, phones, addresses as masks\n"
    "                   (* reveals one field for 5 s, audited; :mask toggles)\n"
    "  --keys-markdown  print the key reference (docs/keys.md) and exit\n"
    "\n"
    "The API key comes from CRMTUI_API_KEY, or the config's api_key_file (mode 0600)\n"
    "or api_key_cmd; never from the command line. Press ? in crmtui for the keys.\n";

struct options {
    const char *url, *theme, *profile, *config;
    bool help, version, keys_markdown, masked;
};

/* Parses argv; on error returns -1 with a sentence in err. */
static int parse_args(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        size_t off;
    } valued[] = {
        {"--url", offsetof(struct options, url)},
        {"--theme", offsetof(struct options, theme)},
        {"--profile", offsetof(struct options, profile)},
        {"--config", offsetof(struct options, config)},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
            continue;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            o->version = true;
            continue;
        }
        if (strcmp(a, "--masked") == 0) {
            o->masked = true;
            continue;
        }
        if (strcmp(a, "--keys-markdown") == 0) {
            o->keys_markdown = true;
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
            size_t n = strlen(valued[k].name);
            const char *value = NULL;
            if (strcmp(a, valued[k].name) == 0) {
                if (i + 1 >= argc) {
                    snprintf(err, errlen, "%s needs a value", valued[k].name);
                    return -1;
                }
                value = argv[++i];
            } else if (strncmp(a, valued[k].name, n) == 0 && a[n] == '=') {
                value = a + n + 1;
            } else {
                continue;
            }
            if (!value[0]) {
                snprintf(err, errlen, "%s needs a value", valued[k].name);
                return -1;
            }
            *(const char **)((char *)o + valued[k].off) = value;
            known = true;
            break;
        }
        if (!known) {
            snprintf(err, errlen, "unknown argument \"%.80s\" (crmtui --help lists them)", a);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    struct config cfg = {0};
    struct app app = {0};
    char err[512];
    int rc = 1;
    bool have_cfg = false;

    setlocale(LC_ALL, "");
    if (argc > 1 && batch_cli_is_command(argv[1]))
        return batch_cli_main(argc, argv);
    if (parse_args(argc, argv, &opt, err, sizeof(err)) != 0) {
        fprintf(stderr, "crmtui: %s\n", err);
        return 2;
    }
    if (opt.help) {
        fputs(usage, stdout);
        return 0;
    }
    if (opt.version) {
        printf("crmtui %s\n", CRMTUI_VERSION);
        return 0;
    }
    if (opt.keys_markdown) {
        /* the defaults only, whatever the config says: this is the reference */
        struct keymap *km = keymap_new();
        keymap_write_markdown(km, stdout);
        keymap_free(&km);
        return fflush(stdout) == 0 ? 0 : 1;
    }

    if (config_load(opt.config, opt.profile, &cfg, err, sizeof(err)) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        return 1;
    }
    have_cfg = true;
    if (opt.url) {
        free(cfg.url);
        cfg.url = strdup(opt.url);
    }
    if (!cfg.url || !cfg.url[0]) {
        fprintf(stderr, "crmtui: no server URL: set CRMTUI_URL, pass --url, or put url in "
                        "the config file\n");
        goto out;
    }
    if (config_load_key(&cfg, err, sizeof(err)) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }

    app.keymap = keymap_new();
    if (keymap_apply_config(app.keymap, cfg.bindings, cfg.n_bindings, err, sizeof(err)) != 0) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }

    /* --theme, else NO_COLOR's mono, else the config's, else default; a theme
     * asked for by name must exist, the implicit default may be missing (then
     * the built-in monochrome look) */
    const char *no_color = getenv("NO_COLOR");
    const char *theme = opt.theme;
    bool explicit_theme = theme != NULL;
    if (!theme && no_color && no_color[0])
        theme = "mono";
    if (!theme && cfg.theme) {
        theme = cfg.theme;
        explicit_theme = true;
    }
    if (!theme)
        theme = "default";
    if (theme_load(theme, &app.theme, err, sizeof(err)) == 0) {
        app.have_theme = true;
    } else if (explicit_theme) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }

    struct crm_client_opts copts = {
        .url = cfg.url,
        .api_key = cfg.api_key,
        .ca_file = cfg.ca_file,
        .debug_log = cfg.debug_log,
    };
    if (crm_client_new(&copts, &app.client, err, sizeof(err)) != CRM_OK) {
        fprintf(stderr, "crmtui: %s\n", err);
        goto out;
    }
    mask_set(opt.masked);
    app.cfg = &cfg;
    app.url = cfg.url;
    rc = app_run(&app);
out:
    crm_client_free(&app.client);
    keymap_free(&app.keymap);
    if (have_cfg)
        config_free(&cfg);
    return rc;
}

#!/bin/bash
# docs/keys.md is generated from the action list: the committed file must be
# what `crmtui --keys-markdown` prints now (make docs writes it).
. "$(dirname "$0")/../lib.sh"

gen=$("$CLIENT_BIN" --keys-markdown)
check "crmtui --keys-markdown succeeds" test -n "$gen"
if [ "$gen" = "$(cat "$ROOT/docs/keys.md" 2>/dev/null)" ]; then
	ok "docs/keys.md is current"
else
	not_ok "docs/keys.md is current" "run: make docs" \
		"$(diff <(printf '%s\n' "$gen") "$ROOT/docs/keys.md" 2>&1 | head -20)"
fi
for section in "Everywhere (\`global\`)" "Lists and panes that scroll (\`browse\`)" \
	"The contacts screen (\`contacts\`)" "The command line and the search prompt (\`prompt\`)" \
	"## Commands"; do
	case "$gen" in *"$section"*) ok "the reference has: $section" ;; *) not_ok "the reference has: $section" ;; esac
done
done_testing

#!/bin/bash
# 100,000 contacts: the first screen, a jump to the end that fetches one page,
# keys that keep working while pages load, paging that fetches only what it
# shows, and memory that stays flat.
. "$(dirname "$0")/lib-tmux.sh"

server_start 100000
all=$(view_id "All Contacts")
total=$(view_total "$all")
last_page=$(((total + 39) / 40))
mapfile -t plast < <(view_names "$all" first_name asc "$last_page" 40)
n=${#plast[@]}
h=27
check "the view holds about 100,000 contacts" test "$total" -gt 95000

log="$TMPD/requests.log"
mkdir -p "$TMPD/config/crmtui"
printf 'debug_log = %s\n' "$log" >"$TMPD/config/crmtui/config"
# page requests so far (the log has no query strings: one line a request)
pages() { grep -c "GET /contacts/view/" "$log" 2>/dev/null || echo 0; }

tui_start
expect "first screen of 100,000" "All Contacts  1-$h of $total"
wait_gone "loading" >/dev/null
before=$(pages)
keys G
expect "G shows the end" "All Contacts  $((total - h + 1))-$total of $total"
expect_match "the last contact is selected" "^>${plast[$((n - 1))]} "
after=$(pages)
# the window's rows fall in the last page, or the last two when it straddles
straddle=$(((total - h) / 40 != (total - 1) / 40))
is "the jump fetched only the pages it shows" "$((after - before))" "$((1 + straddle))"

keys g G k k
expect_match "keys typed while a page loads are not lost" "^>${plast[$((n - 3))]} "
keys g
expect "back at the start" "All Contacts  1-$h of $total"
wait_gone "loading" >/dev/null
before=$(pages)
for i in $(seq 1 40); do keys NPage; done
expect "40 pages down" "All Contacts  $((40 * h + 1))-$((41 * h)) of $total"
wait_gone "loading" >/dev/null
after=$(pages)
fetched=$((after - before))
# 40 screens of 27 rows are 27 pages of 40; read-ahead adds at most a couple
check "paging fetches what it shows, not the list ($fetched requests)" test "$fetched" -le 32
pid=$(tui_pid)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
echo "# resident memory after paging: ${rss:-?} kB"
case "$BUILD" in
*asan*) check "resident memory was read" test -n "$rss" ;;
*) check "resident memory under 20 MB (${rss:-?} kB)" test -n "$rss" -a "${rss:-99999}" -lt 20480 ;;
esac

tui_quit_clean "exits clean"
done_testing

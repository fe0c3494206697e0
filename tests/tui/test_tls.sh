#!/bin/bash
# crmtui over HTTPS with certificates made here by a throwaway CA: ca_file in
# the config lets it in; a wrong CA, an expired certificate and a certificate
# for another host are each refused on the start screen, with no way past.
. "$(dirname "$0")/lib-tmux.sh"
server_start 10
server_stop

P="$TMPD/pki"
mkdir -p "$P"
ossl() { openssl "$@" >>"$P/log" 2>&1; }
# ca NAME: a self-signed CA.
ca() {
	ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$P/$1.key" \
		-out "$P/$1.pem" -days 30 -subj "/CN=$1" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign"
}
# leaf NAME CA SAN DAYS_FROM DAYS_TO: a server certificate signed by CA,
# valid from now+DAYS_FROM to now+DAYS_TO (x509 -not_before/-not_after need
# OpenSSL 3; the ca command's -startdate/-enddate work everywhere).
leaf() {
	local n=$1 c=$2 san=$3
	ossl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$P/$n.key" \
		-out "$P/$n.csr" -subj "/CN=$n"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" >"$P/$n.ext"
	mkdir -p "$P/db-$n"
	: >"$P/db-$n/index"
	printf '[ca]\ndefault_ca=c\n[c]\ndatabase=%s\nnew_certs_dir=%s\nserial=%s\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' \
		"$P/db-$n/index" "$P/db-$n" "$P/db-$n/serial" >"$P/db-$n/conf"
	echo 01 >"$P/db-$n/serial"
	ossl ca -batch -config "$P/db-$n/conf" -cert "$P/$c.pem" -keyfile "$P/$c.key" -in "$P/$n.csr" \
		-out "$P/$n.pem" -extfile "$P/$n.ext" -startdate "$(date -u -d "$4 days" +%Y%m%d%H%M%SZ)" \
		-enddate "$(date -u -d "$5 days" +%Y%m%d%H%M%SZ)" -notext
}
ca goodca
ca otherca
leaf good goodca IP:127.0.0.1 -1 10
leaf expired goodca IP:127.0.0.1 -20 -10
leaf wronghost goodca DNS:elsewhere.example.com -1 10
for c in good expired wronghost; do
	check "openssl made the $c certificate" bash -c "openssl verify -no_check_time -CAfile '$P/goodca.pem' '$P/$c.pem' >/dev/null"
done
check "the expired certificate is expired" bash -c "! openssl x509 -checkend 0 -noout -in '$P/expired.pem' >/dev/null"

mkdir -p "$TMPD/config/crmtui"
# attempt CERT CAFILE: serves with CERT, starts crmtui with ca_file = CAFILE.
attempt() {
	server_stop
	server_serve --tls-cert "$P/$1.pem" --tls-key "$P/$1.key"
	printf 'ca_file = %s\n' "$P/$2.pem" >"$TMPD/config/crmtui/config"
	tm kill-server 2>/dev/null
	tui_start
}
attempt good goodca
case $BASE in https://*) ok "crm-server serves HTTPS ($BASE)" ;; *) not_ok "crm-server serves HTTPS" "$BASE" ;; esac
if wait_for "Contacts"; then ok "the right CA in ca_file: crmtui shows the contacts"; else not_ok "the right CA in ca_file" "$LAST_SCREEN"; fi
tui_quit_clean "crmtui quits cleanly over HTTPS"

# refused NAME CERT CAFILE: the start screen names a certificate problem, and
# neither Enter nor the arrows get past it to the contacts.
refused() {
	attempt "$2" "$3"
	if wait_match "[Cc]ertificate|TLS|SSL"; then
		ok "$1: refused with a certificate message: $(grep -i -m1 'certificate\|TLS\|SSL' <<<"$LAST_SCREEN" | tr -s ' ' | cut -c1-90)"
	else
		not_ok "$1: refused with a certificate message" "$LAST_SCREEN"
	fi
	keys Enter
	keys Down
	keys Enter
	keys y
	if wait_for "Contacts" 2; then not_ok "$1: no way past the refusal" "$LAST_SCREEN"; else ok "$1: no way past the refusal"; fi
	if grep -q -i 'certificate\|TLS\|SSL' <<<"$(screen)"; then ok "$1: the message stays"; else not_ok "$1: the message stays" "$(screen)"; fi
}
refused "a certificate from another CA" good otherca
refused "an expired certificate" expired goodca
refused "a certificate for another host" wronghost goodca
tm kill-server 2>/dev/null

done_testing

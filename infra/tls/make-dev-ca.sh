#!/usr/bin/env bash
# A development certificate authority and one certificate per app, for mutual TLS between halls and services:
#
#   infra/tls/make-dev-ca.sh .omnihall/tls                 # every app
#   infra/tls/make-dev-ca.sh /tmp/tls web-hall customer    # only these
#
# Each app's certificate has CN = its caller name (a service checks it against the caller key presented) and
# SANs for the names it is dialled by: its Kubernetes Service name, localhost and 127.0.0.1. Then run each app with
#   OMNIHALL_TLS_CA=<dir>/ca.crt OMNIHALL_TLS_CERT=<dir>/<app>.crt OMNIHALL_TLS_KEY=<dir>/<app>.key
# Production certificates come from the operator's PKI (e.g. cert-manager), with the same CN and SAN rule.
set -euo pipefail
dir="${1:?usage: make-dev-ca.sh <dir> [app ...]}"
shift
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  apps=(customer billing catalog orders usage notify campaign web-hall sms-hall kiosk mini-hall ops-console platform)
fi
mkdir -p "$dir"
cd "$dir"
if [ ! -f ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/O=Omnihall development/CN=Omnihall development CA" -keyout ca.key -out ca.crt 2>/dev/null
fi
for app in "${apps[@]}"; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Omnihall/CN=${app}" \
    -keyout "${app}.key" -out "${app}.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' "$app" >"${app}.ext"
  openssl x509 -req -in "${app}.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
    -extfile "${app}.ext" -out "${app}.crt" 2>/dev/null
  rm -f "${app}.csr" "${app}.ext"
done
chmod 600 ./*.key
echo "CA and certificates for ${apps[*]} in $(pwd)"

#!/usr/bin/env bash
# Interoperability check the workerd suite cannot run (it cannot spawn processes): OpenSSL must
# accept our .pkpass signature. With no argument, builds a sample pass with the DEVELOPMENT chain.
#   test/scripts/openssl-verify.sh [pass.pkpass] [root-ca.pem]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
node="$root/node_modules/.bin/node" # Node 22 from the project
pkpass="${1:-}"
ca="${2:-$root/test/fixtures/apple/root-ca.pem}"
if [[ -z "$pkpass" ]]; then
  pkpass="$(mktemp -d)/sample.pkpass"
  (cd "$root" && "$node" --import tsx test/scripts/build-sample-pkpass.mjs "$pkpass")
fi
cd "$root" && "$node" scripts/verify-pkpass.mjs "$pkpass" "$ca"

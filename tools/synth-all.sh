#!/usr/bin/env bash
# Synthesizes every profile into its own cdk.out/<profile>/ directory, as `cdk synth` would for a
# user: offline, no credentials, cdk-nag and the built-in validator on (any finding fails).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf cdk.out
for profile in dev staging prod; do
  npx cdk synth --quiet -c profile="$profile" -o "cdk.out/$profile"
  echo "synthesized ScalingStack-$profile -> cdk.out/$profile"
done

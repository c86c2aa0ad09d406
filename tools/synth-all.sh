#!/usr/bin/env bash
# Synthesizes every profile into its own cdk.out/<profile>/ directory, offline and with no
# credentials, with every gate on: cdk-nag (on in every synth) and aws-cdk-lib's built-in
# CloudFormation validator (-c validate=true; a user's plain `cdk synth` skips it: ~40 % of the
# synth time). Any finding fails the synth; cfn-lint then reads these templates in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf cdk.out
for profile in dev staging prod; do
  npx cdk synth --quiet -c validate=true -c profile="$profile" -o "cdk.out/$profile"
  echo "synthesized ScalingStack-$profile -> cdk.out/$profile (cdk-nag and the built-in validator passed)"
done

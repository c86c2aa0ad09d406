import { createHash } from 'node:crypto';

// The NAT instance's user data: what aws-cdk-lib's NatInstanceProviderV2 writes by default
// (`DEFAULT_USER_DATA_COMMANDS`: install iptables-services, turn on forwarding, masquerade, save),
// made to come up every time and to say so when it cannot.
//
// The default runs `yum install iptables-services -y` once, with nothing checked (no `set -e`). On
// Amazon Linux 2023 that install fails now and then, because cloud-init's own scripts clean the dnf
// cache while it runs (aws/aws-cdk#36717, "No such file or directory" for cached packages; the
// reporter saw it on under 10 % of launches). The script then goes on without the iptables service,
// the instance never forwards, and the app subnets have no egress: the first deploy fails much later
// and far away (custom resources and tasks that cannot reach AWS APIs or registries).
//
// Here the install is retried with a doubling pause, every later step is checked, the result is
// checked as packets will meet it (forwarding on, the MASQUERADE rule present), and CloudFormation
// is told through a wait condition: SUCCESS, or FAILURE with the reason, so a deploy stops at the
// NAT instance with the cause instead of timing out elsewhere. The script's output is in
// /var/log/cloud-init-output.log and the instance's console output (`aws ec2 get-console-output`).

/** Install attempts before the bootstrap gives up. */
export const NAT_INSTALL_ATTEMPTS = 6;
/** The first pause between attempts; each later one doubles (5, 10, 20, 40, 80 s: 155 s in all). */
export const NAT_INSTALL_FIRST_PAUSE_SECONDS = 5;
/**
 * How long CloudFormation waits for the instance's signal: boot (about a minute), every install
 * attempt and pause (155 s of pauses, each attempt up to a minute on a slow mirror), with room to spare.
 */
export const NAT_BOOTSTRAP_TIMEOUT_SECONDS = 15 * 60;

/** Where the script's wait-condition URL goes; replaced by the handle's `Ref`. */
const SIGNAL_URL = '@@SIGNAL_URL@@';

const SCRIPT = `#!/bin/bash
# NAT bootstrap (cdk-scaling-stack lib/network/nat-bootstrap.ts): forwarding and masquerading for the
# VPC, then a signal to CloudFormation. Every step is checked; the first that fails ends the script,
# tells CloudFormation why, and exits 1.
set -uo pipefail

SIGNAL_URL='${SIGNAL_URL}'
ATTEMPTS=${NAT_INSTALL_ATTEMPTS}

log() { echo "nat-bootstrap: $*"; }

instance_id() {
  local token
  token=$(curl -sS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) \\
    && curl -sS --max-time 5 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id \\
    || hostname
}

# signal SUCCESS|FAILURE reason: tells the stack's wait condition. Best effort: an instance that
# replaced the first one (a newer AMI) has no wait condition listening any more.
signal() {
  local body
  body=$(printf '{"Status":"%s","Reason":"%s","UniqueId":"%s","Data":"%s"}' "$1" "$2" "$(instance_id)" "$2")
  curl -sS --retry 3 --retry-delay 5 --max-time 30 -X PUT -H 'Content-Type:' --data-binary "$body" "$SIGNAL_URL" \\
    || log "could not signal CloudFormation ($1)"
}

fail() {
  log "FAILED: $1"
  signal FAILURE "$1"
  exit 1
}

# dnf on Amazon Linux 2023 can lose its cache to cloud-init's own cleanup mid-install (aws/aws-cdk#36717).
pause=${NAT_INSTALL_FIRST_PAUSE_SECONDS}
for ((attempt = 1; ; attempt++)); do
  yum install -y iptables-services && break
  if ((attempt >= ATTEMPTS)); then
    fail "yum install iptables-services failed $ATTEMPTS times; see /var/log/cloud-init-output.log"
  fi
  log "yum install iptables-services failed (attempt $attempt of $ATTEMPTS); retrying in $pause s"
  sleep "$pause"
  pause=$((pause * 2))
done

systemctl enable --now iptables || fail "could not start the iptables service"
echo 'net.ipv4.ip_forward=1' > /etc/sysctl.d/custom-ip-forwarding.conf || fail "could not write the forwarding setting"
sysctl -p /etc/sysctl.d/custom-ip-forwarding.conf || fail "could not turn on IPv4 forwarding"
interface=$(ip route show default | awk '{ print $5; exit }')
[ -n "$interface" ] || fail "no default route to masquerade through"
iptables -t nat -A POSTROUTING -o "$interface" -j MASQUERADE || fail "could not add the MASQUERADE rule on $interface"
# iptables-services' default rules reject forwarded packets.
iptables -F FORWARD || fail "could not clear the FORWARD chain"
# What the iptables service loads at boot.
iptables-save > /etc/sysconfig/iptables || fail "could not save the rules for the next boot"

# Checked as packets will meet it, not as the commands reported it.
[ "$(sysctl -n net.ipv4.ip_forward)" = 1 ] || fail "IPv4 forwarding is off after turning it on"
iptables -t nat -C POSTROUTING -o "$interface" -j MASQUERADE || fail "the MASQUERADE rule on $interface is missing after adding it"

signal SUCCESS "NAT on $interface after $attempt install attempt(s)"
log "done: NAT on $interface after $attempt install attempt(s)"
`;

/**
 * The bootstrap script, signalling `signalUrl` (a wait-condition handle's `Ref`, or any URL in tests).
 * Tokens in the URL are kept: CDK renders the script as an `Fn::Join`.
 */
export function natBootstrapScript(signalUrl: string): string {
  return SCRIPT.replace(SIGNAL_URL, signalUrl);
}

/**
 * A digest of the script (before the URL goes in), for the logical IDs of the instance and its wait
 * condition: a changed bootstrap replaces the instance so that it runs (user data runs once per
 * instance), and gets a wait condition of its own to signal (a completed one never waits again).
 */
export const NAT_BOOTSTRAP_DIGEST = createHash('sha256').update(SCRIPT).digest('hex').slice(0, 8).toUpperCase();

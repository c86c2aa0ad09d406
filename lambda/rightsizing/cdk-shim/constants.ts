/**
 * A stand-in for a namespace of aws-cdk-lib constants (engine versions, TLS policies) that
 * defaults modules read at load and the advisor never uses: each member is a labelled placeholder.
 */
export function constants(namespace: string): Record<string, unknown> {
  return new Proxy({}, { get: (_target, member) => `${namespace}.${String(member)} (not available in the right-sizing worker)` });
}

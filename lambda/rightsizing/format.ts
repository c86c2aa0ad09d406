/** Number formatting shared by the evidence lines, the table and the SNS message. */

/** `1,234.5`: at most `digits` decimals, thousands separated, no trailing zeros. */
export function num(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** `+$12.34/month` or `-$103.00/month`; `n/a` when the price is unknown. */
export function usdPerMonth(value: number | null): string {
  if (value === null) return 'n/a';
  const sign = value > 0 ? '+' : value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}/month`;
}

/** A value in its unit: `12.3 %`, `0.42 s`, `1.2 GiB`, `350 ms`, `17`. */
export function withUnit(value: number, unit: string): string {
  switch (unit) {
    case 'Percent':
      return `${num(value)} %`;
    case 'Seconds':
      return value < 10 ? `${num(value, 3)} s` : `${num(value, 0)} s`;
    case 'Milliseconds':
      return `${num(value, 0)} ms`;
    case 'Bytes':
      return `${num(value / 1024 ** 3, 2)} GiB`;
    case 'Count/Second':
      return `${num(value)}/s`;
    default:
      return num(value);
  }
}

/** `14.0 days` / `1 day`. */
export function days(value: number): string {
  return `${num(value)} ${value === 1 ? 'day' : 'days'}`;
}

/** A Fargate task size: `0.5 vCPU / 1024 MiB`. */
export function taskSize(cpu: number, memoryMiB: number): string {
  return `${num(cpu / 1024, 2)} vCPU / ${memoryMiB} MiB`;
}

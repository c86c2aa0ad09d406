import type { RightsizingReport } from './advisor';
import { days, num, usdPerMonth, withUnit } from './format';

/** The report as plain-text tables: recommendations, then each component's statistics and notes. */
export function renderTable(report: RightsizingReport): string {
  const lines: string[] = [];
  lines.push(
    `Right-sizing advice for profile '${report.profile}': ${days(report.window.days)} from ${report.window.start} to ${report.window.end}, ${num(report.window.periodSeconds / 60, 0)}-minute datapoints`,
  );
  lines.push('');
  if (report.recommendations.length === 0) {
    lines.push('No recommendation: nothing to act on.');
  } else {
    lines.push(
      table(
        ['component', 'action', 'change', 'monthly', 'confidence'],
        report.recommendations.map((r) => [
          r.component,
          r.action,
          r.changes.map((c) => `${c.path} ${c.from} -> ${c.to}`).join(', '),
          usdPerMonth(r.monthlyUsd),
          r.confidence,
        ]),
      ),
    );
    lines.push(`Total: ${usdPerMonth(report.monthlyUsd)}`);
    for (const r of report.recommendations) {
      lines.push('');
      lines.push(`* ${r.component}: ${r.summary}`);
      for (const e of r.evidence) lines.push(`    evidence: ${e}`);
      lines.push(`    cost: ${usdPerMonth(r.monthlyUsd)} (${r.costBasis})`);
    }
  }
  for (const w of report.withheld) {
    lines.push('');
    lines.push(`Withheld (a safety rule forbids it): ${w.recommendation.summary}`);
    for (const p of w.problems) lines.push(`    ${p}`);
  }
  lines.push('');
  lines.push(
    table(
      ['component', 'status', 'confidence', 'days', 'coverage'],
      report.components.map((c) => [
        c.component,
        c.status,
        c.confidence ?? '-',
        c.status === 'not-monitored' ? '-' : num(c.days),
        c.status === 'not-monitored' ? '-' : `${num(c.coverage * 100, 0)} %`,
      ]),
    ),
  );
  const stats = report.components.flatMap((c) =>
    c.statistics.map((s) => [
      s.metric,
      s.label,
      `${num(s.datapoints, 0)}/${num(s.expected, 0)}`,
      withUnit(s.p50, s.unit),
      withUnit(s.p95, s.unit),
      withUnit(s.max, s.unit),
    ]),
  );
  if (stats.length > 0) {
    lines.push('');
    lines.push(table(['metric', 'statistic', 'datapoints', 'p50', 'p95', 'max'], stats));
  }
  const notes = report.components.flatMap((c) => c.notes.map((n) => `${c.component}: ${n}`));
  if (notes.length > 0) {
    lines.push('');
    lines.push('Notes:');
    for (const n of notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}

/** The SNS subject: at most 100 characters, ASCII, no line breaks. */
export function notificationSubject(report: RightsizingReport): string {
  const subject = `Right-sizing (${report.profile}): ${report.recommendations.length} recommendation(s), ${usdPerMonth(report.monthlyUsd)}`;
  return subject.replace(/[^\x20-\x7e]/g, '').slice(0, 100);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

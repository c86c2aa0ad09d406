// Every alarm of the stack is OK: none in ALARM, none missing. INSUFFICIENT_DATA right after a
// deploy is pending: the alarm has not been evaluated yet.
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { fail, notVerifiableHere, pass, pending, type Outcome } from '../checklist';
import { deployedOfType, type ProbeContext } from './context';

/** DescribeAlarms takes at most 100 names per call. */
const NAMES_PER_CALL = 100;

export async function probeAlarms({ target }: ProbeContext): Promise<Outcome> {
  const declared = [...deployedOfType(target, 'AWS::CloudWatch::Alarm'), ...deployedOfType(target, 'AWS::CloudWatch::CompositeAlarm')];
  const inTemplate = Object.values(target.template.Resources).filter(
    (r) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm',
  ).length;
  if (inTemplate === 0) return pass('the stack has no alarm');
  if (declared.length === 0 && target.emulator) {
    return notVerifiableHere(`moto's CloudFormation does not create CloudWatch alarms (${inTemplate} in the template)`);
  }
  const states = new Map<string, { state: string; reason: string }>();
  const names = declared.map((a) => a.physicalId);
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    const page = await target.clients.cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: names.slice(i, i + NAMES_PER_CALL),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: NAMES_PER_CALL,
      }),
    );
    for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      if (a.AlarmName) states.set(a.AlarmName, { state: a.StateValue ?? 'unknown', reason: a.StateReason ?? '' });
    }
  }
  const line = (a: { logicalId: string; physicalId: string }) => `${a.logicalId} (${a.physicalId})`;
  const missing = declared.filter((a) => !states.has(a.physicalId)).map((a) => `${line(a)}: not found`);
  const alarming = declared
    .filter((a) => states.get(a.physicalId)?.state === 'ALARM')
    .map((a) => `${line(a)}: ALARM: ${states.get(a.physicalId)!.reason}`);
  const unevaluated = declared.filter((a) => states.get(a.physicalId)?.state === 'INSUFFICIENT_DATA').map((a) => `${line(a)}: INSUFFICIENT_DATA`);
  const ok = declared.length - missing.length - alarming.length - unevaluated.length;
  const notCreated = inTemplate - declared.length;
  const note = notCreated > 0 ? [`${notCreated} alarm(s) of the template were not created, and are not judged`] : [];
  if (missing.length > 0 || alarming.length > 0)
    return fail(`${alarming.length} in ALARM, ${missing.length} missing, of ${declared.length} alarms`, [
      ...alarming,
      ...missing,
      ...unevaluated,
      ...note,
    ]);
  if (unevaluated.length > 0)
    return pending(`${ok} of ${declared.length} alarms OK; ${unevaluated.length} not evaluated yet (INSUFFICIENT_DATA)`, [...unevaluated, ...note]);
  return pass(`${ok} of ${declared.length} alarms OK`, note);
}

import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseInsights, RightsizingAdvisor } from '../../lib';
import {
  DB_INSIGHTS_DEFAULT_INTERVAL_MINUTES,
  DB_INSIGHTS_DEFAULT_SCHEDULE,
  RIGHTSIZING_DEFAULT_INTERVAL_MINUTES,
  RIGHTSIZING_DEFAULT_SCHEDULE,
} from '../../lib/core/insights';
import { shortestIntervalMinutes } from '../../lib/insights/schedule';
import { userStack } from '../helpers/app';

function insightsIn(props: { schedule?: string; reservedConcurrency?: number } = {}) {
  const stack = userStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
    instanceIdentifier: 'app-db',
    instanceEndpointAddress: 'app-db.example',
    port: 5432,
    securityGroups: [],
  });
  return { stack, construct: () => new DatabaseInsights(stack, 'Insights', { vpc, instance, ...props }) };
}

describe('reserved concurrency of the scheduled workers', () => {
  test('the intervals the profile rules size from are those of the default schedules', () => {
    expect(shortestIntervalMinutes(DB_INSIGHTS_DEFAULT_SCHEDULE)).toBe(DB_INSIGHTS_DEFAULT_INTERVAL_MINUTES);
    expect(shortestIntervalMinutes(RIGHTSIZING_DEFAULT_SCHEDULE)).toBe(RIGHTSIZING_DEFAULT_INTERVAL_MINUTES);
    expect(shortestIntervalMinutes('cron(0,10 6 * * ? *)')).toBe(10);
    expect(shortestIntervalMinutes('rate(2 hours)')).toBe(120);
    expect(shortestIntervalMinutes('at(2026-12-05T10:00:00)')).toBeUndefined();
  });

  test('database insights reserves one execution by default, even every 5 minutes (a run lasts 60 s at most)', () => {
    const { stack, construct } = insightsIn({ schedule: 'rate(5 minutes)' });
    expect(construct().reservedConcurrency).toBe(1);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
  });

  test('a reservation given is used as is', () => {
    const { stack, construct } = insightsIn({ reservedConcurrency: 2 });
    expect(construct().reservedConcurrency).toBe(2);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 2 });
  });

  test('a reservation of 0 or a fraction is refused with the reason', () => {
    expect(() => insightsIn({ reservedConcurrency: 0 }).construct()).toThrow(
      'UserStack/Insights: reservedConcurrency (0) must be a whole number of at least 1; 0 would throttle every run, remove the schedule instead',
    );
    const advisor = () => new RightsizingAdvisor(userStack(), 'Advisor', { reservedConcurrency: 1.5 });
    expect(advisor).toThrow('UserStack/Advisor: reservedConcurrency (1.5) must be a whole number of at least 1');
  });

  test('the advisor reserves one execution by default', () => {
    const stack = userStack();
    expect(new RightsizingAdvisor(stack, 'Advisor').reservedConcurrency).toBe(1);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
  });
});

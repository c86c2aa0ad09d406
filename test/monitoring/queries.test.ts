import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { REQUEST_LOG_FIELDS, SAVED_QUERIES, SavedQueries } from '../../lib';
import { DB_INSIGHTS_REPORT_MESSAGE } from '../../lib/core/insights';
import { userStack } from '../helpers/app';

describe('SavedQueries', () => {
  test('saves only the queries whose log group is given, joined into one Logs Insights query each', () => {
    // GIVEN a user's stack with the jobs worker's log group only
    const stack = userStack();
    const worker = new logs.LogGroup(stack, 'WorkerLogs');
    // WHEN
    const queries = new SavedQueries(stack, 'Queries', { worker, folder: 'shop' });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 1);
    expect(Object.keys(queries.definitions)).toEqual(['jobErrorsByType']);
    template.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'shop/Job errors by type',
      LogGroupNames: [{ Ref: stack.getLogicalId(worker.node.defaultChild as logs.CfnLogGroup) }],
      QueryString:
        'filter level = "ERROR"\n| stats count(*) as errors, latest(reason) as lastReason, latest(messageId) as lastMessageId, max(@timestamp) as lastSeen by jobType, message\n| sort errors desc',
    });
  });

  test("the queries read the fields their logs have: the app's request log, the job runner's, the insights report, PostgreSQL's duration lines", () => {
    const text = (name: keyof typeof SAVED_QUERIES) => SAVED_QUERIES[name].queryLines.join('\n');
    for (const field of Object.values(REQUEST_LOG_FIELDS)) expect(text('slowestRequests')).toContain(field);
    expect(text('slowestRequests')).toContain('sort durationMs desc');
    // lambda/shared/job-runner.ts: logger.error('job failed' | 'bad message', { messageId, jobType, reason })
    expect(text('jobErrorsByType')).toMatch(/filter level = "ERROR"[\s\S]*latest\(reason\)[\s\S]*by jobType, message/);
    // lambda/db-insights: logger.info(DB_INSIGHTS_REPORT_MESSAGE, { report }) with report.statements.byMeanTime/byTotalTime
    expect(text('insightsStatements')).toContain(`filter message = "${DB_INSIGHTS_REPORT_MESSAGE}"`);
    expect(text('insightsStatements')).toContain('report.statements.byTotalTime.0.query');
    expect(text('slowStatements')).toContain('duration: (?<durationMs>[0-9.]+) ms');
  });

  test("the PostgreSQL parse pattern matches RDS's log_min_duration_statement lines, plain and prepared", () => {
    const pattern = /duration: (?<durationMs>[0-9.]+) ms\s+(?<kind>statement|execute [^:]*): (?<statement>.*)/;
    expect(SAVED_QUERIES.slowStatements.queryLines[0]).toBe(`parse @message ${pattern.toString()}`);
    const plain = '2026-12-05 10:00:00 UTC:10.0.1.5(40022):app@app:[4242]:LOG:  duration: 312.508 ms  statement: select * from orders where id = 1';
    const prepared = '2026-12-05 10:00:01 UTC:10.0.1.5(40022):app@app:[4242]:LOG:  duration: 1250.1 ms  execute <unnamed>: select 1';
    expect(pattern.exec(plain)?.groups).toMatchObject({ durationMs: '312.508', statement: 'select * from orders where id = 1' });
    expect(pattern.exec(prepared)?.groups).toMatchObject({ durationMs: '1250.1', kind: 'execute <unnamed>', statement: 'select 1' });
  });

  test('the dashboard widget names each saved query and its log', () => {
    const stack = userStack();
    const queries = new SavedQueries(stack, 'Queries', { web: new logs.LogGroup(stack, 'Web'), databaseLog: new logs.LogGroup(stack, 'Pg') });
    const markdown = (queries.widget().toJson()[0] as { properties: { markdown: string } }).properties.markdown;
    expect(markdown).toContain("**Slowest requests** (the web service's log)");
    expect(markdown).toContain("**Slowest database statements** (PostgreSQL's log)");
    expect(markdown).toContain('folder `UserStack`');
    expect(markdown).not.toContain('Job errors');
  });

  test("a folder with '/' is refused with the reason", () => {
    const stack = userStack();
    expect(() => new SavedQueries(stack, 'Queries', { folder: 'team/shop' })).toThrow(
      "UserStack/Queries: folder ('team/shop') must be 1-100 characters without '/'; the console makes each '/' a folder level",
    );
  });
});

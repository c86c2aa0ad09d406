// SNS topics (encryption at rest with the stack's key) and CloudWatch dashboards, against the
// template. Alarms are not modelled by moto's CloudFormation: they are reported as skipped.
import { GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { forEach, templateValue, type Verifier } from './context';

export const monitoringVerifier: Verifier = {
  name: 'monitoring',
  types: ['AWS::SNS::Topic', 'AWS::CloudWatch::Dashboard'],
  async verify(ctx) {
    const { checks, clients, resolver } = ctx;
    await forEach(ctx, 'AWS::SNS::Topic', async (topic) => {
      const a = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topic.physicalId }))).Attributes ?? {};
      checks.equal(topic.subject, 'KmsMasterKeyId', a.KmsMasterKeyId, await templateValue(ctx, topic.properties, 'KmsMasterKeyId'), 'template');
      if ('FifoTopic' in topic.properties)
        checks.equal(topic.subject, 'FifoTopic', a.FifoTopic, String(await resolver.resolve(topic.properties.FifoTopic)), 'template');
    });
    await forEach(ctx, 'AWS::CloudWatch::Dashboard', async (dashboard) => {
      const d = await clients.cloudwatch.send(new GetDashboardCommand({ DashboardName: dashboard.physicalId }));
      if ('DashboardName' in dashboard.properties)
        checks.equal(dashboard.subject, 'DashboardName', d.DashboardName, await resolver.resolve(dashboard.properties.DashboardName), 'template');
      // The body refers to alarms by ARN, which only AWS (or a placeholder) knows: compare what resolves offline.
      const body = await resolver.tryResolve(dashboard.properties.DashboardBody);
      if (body === undefined)
        checks.holds(
          dashboard.subject,
          'DashboardBody',
          (d.DashboardBody ?? '') !== '',
          d.DashboardBody?.length,
          'a body',
          'template (its expression needs attributes only AWS knows)',
        );
      else checks.equal(dashboard.subject, 'DashboardBody', d.DashboardBody, String(body), 'template');
    });
  },
};

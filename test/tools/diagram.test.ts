import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DIAGRAM_FILE,
  DIAGRAM_MARKERS,
  DIAGRAM_PROFILE,
  diagramModel,
  main,
  mermaidFor,
  synthesizeTemplate,
  type CfnTemplate,
  type DiagramEdge,
} from '../../tools/diagram';
import { readBlock, ROOT } from '../../tools/generated-block';

const edge = (from: string, label: string, to: string, dashed = false): DiagramEdge => ({ from, to, label, dashed });

describe('tools/diagram on the synthesized dev stack', () => {
  // GIVEN the dev stack, synthesized once for this block
  const model = diagramModel(synthesizeTemplate('dev'));
  const label = (id: string) => model.nodes.find((n) => n.id === id)?.label;

  test('security-group ingress: who may connect to whom, on which port', () => {
    expect(model.edges).toEqual(
      expect.arrayContaining([
        // The internal load balancer admits CloudFront's origin-facing prefix list, never the internet (issue 14).
        edge('prefix_list', '80', 'Web_LoadBalancer'),
        edge('Edge_Distribution', 'origin', 'Web_LoadBalancer'),
        edge('Web_LoadBalancer', '8080', 'Web_Resource_Service'),
        edge('Web_Resource_Service', '5432', 'Database_Resource'),
        edge('Web_Resource_Service', '6379', 'Cache_Resource'),
        edge('Worker_Function', '5432', 'Database_Resource'),
        edge('Worker_Function', '6379', 'Cache_Resource'),
        // The insights worker's rule takes its port from the instance (Fn::GetAtt Endpoint.Port).
        edge('DatabaseInsights_Worker_Function', '5432', 'Database_Resource'),
        // Dev's NAT instance accepts the VPC's own traffic.
        edge('Network_Vpc', 'all traffic', 'Network_Vpc_PublicSubnet1_NatInstance'),
      ]),
    );
    expect(model.edges.filter((e) => e.from === 'internet')).toEqual([]);
    // Nothing else reaches the data stores: no path from the internet or the load balancer.
    const intoData = model.edges.filter((e) => e.to === 'Database_Resource' || e.to === 'Cache_Resource').map((e) => e.from);
    expect([...new Set(intoData)].sort()).toEqual([
      'DatabaseInsights_Worker_Function',
      'Database_Bootstrap_Function',
      'Web_Resource_Service',
      'Worker_Function',
    ]);
  });

  test('messages: the queue feeds the worker, redrives to its dead-letter queue, and the web tasks may send to it', () => {
    expect(model.edges).toEqual(
      expect.arrayContaining([
        edge('Worker_Queue', 'batches of 2', 'Worker_Function'),
        edge('Worker_Queue', 'after 5 receives', 'Worker_DeadLetterQueue', true),
        edge('Web_Resource_Service', 'sends', 'Worker_Queue'),
        edge('Rightsizing_Worker_Schedule', 'invokes', 'Rightsizing_Worker_Function'),
        edge('Rightsizing_Worker_Function', 'failed runs', 'Rightsizing_Worker_DeadLetterQueue', true),
        edge('DatabaseInsights_Worker_Schedule', 'undelivered', 'DatabaseInsights_Worker_DeadLetterQueue', true),
      ]),
    );
    expect(label('Worker_DeadLetterQueue')).toBe('dead-letter queue<br/>keeps 14 days');
    expect(label('Worker_Queue')).toBe('SQS queue<br/>keeps 4 days');
  });

  test('alarm actions reach the topic; the budget and the advisor notify it too', () => {
    const intoTopic = model.edges.filter((e) => e.to === 'Monitoring_Topic');
    expect(intoTopic).toEqual(
      expect.arrayContaining([
        edge('Budget_Resource', 'notifies', 'Monitoring_Topic'),
        edge('Monitoring_ServiceHealthAlarm', 'notifies', 'Monitoring_Topic'),
        edge('Rightsizing_Worker_Function', 'publishes', 'Monitoring_Topic'),
      ]),
    );
    // Every merged alarm box of Monitoring notifies the topic, and together they hold its 11 alarms (the edge 5xx alarm included).
    const monitoringAlarms = model.nodes.filter((n) => n.id.startsWith('Monitoring_alarms_'));
    expect(monitoringAlarms.map((n) => n.id).every((id) => intoTopic.some((e) => e.from === id))).toBe(true);
    expect(monitoringAlarms.reduce((sum, n) => sum + Number(/^(\d+) alarms$/.exec(n.label)?.[1] ?? 1), 0)).toBe(11);
  });

  test('the deployment alarms roll the service back; the latency alarm scales it', () => {
    const rollsBack = model.edges.filter((e) => e.label === 'rolls back');
    expect(rollsBack.map((e) => `${label(e.from)} -> ${e.to}`).sort()).toEqual([
      'alarm<br/>ErrorRateAlarm -> Web_Resource_Service',
      'alarm<br/>LatencyAlarm -> Web_Resource_Service',
    ]);
    expect(rollsBack.every((e) => e.dashed)).toBe(true);
    const scales = model.edges.filter((e) => e.label === 'scales');
    expect(scales.map((e) => `${label(e.from)} -> ${e.to}`)).toEqual(['alarm<br/>LatencyScaling UpperAlarm -> Web_Resource_Service']);
  });

  test("boxes carry the profile's sizes and group by top-level construct; CDK's helpers are left out", () => {
    expect(label('Web_Resource_Service')).toBe('Fargate service<br/>0.25 vCPU / 0.5 GB X86_64, Spot<br/>1–2 tasks');
    expect(label('Database_Resource')).toBe('RDS PostgreSQL 17.9<br/>db.t4g.micro');
    expect(label('Cache_Resource')).toBe('Valkey 8.2<br/>1 × cache.t4g.micro');
    expect(label('Network_Vpc_PublicSubnet1_NatInstance')).toBe('NAT instance<br/>t4g.nano');
    expect([...new Set(model.nodes.map((n) => n.group))].sort()).toEqual([
      'Budget',
      'Cache',
      'Database',
      'DatabaseInsights',
      'Edge',
      'Monitoring',
      'Network',
      'Rightsizing',
      'Web',
      'Worker',
      undefined,
    ]);
    expect(model.nodes.some((n) => n.id.includes('Custom'))).toBe(false);
  });
});

describe('the committed diagram', () => {
  test(`${DIAGRAM_FILE} shows the diagram of the synthesized ${DIAGRAM_PROFILE} stack (run \`npm run diagram\` when this fails)`, () => {
    const page = fs.readFileSync(path.join(ROOT, DIAGRAM_FILE), 'utf8');
    expect(readBlock(page, DIAGRAM_MARKERS, DIAGRAM_FILE)).toBe(mermaidFor(synthesizeTemplate(DIAGRAM_PROFILE)));
  });
});

describe('diagramModel on a small template', () => {
  const path_ = (p: string) => ({ 'aws:cdk:path': `Stack/${p}` });
  const template: CfnTemplate = {
    Resources: {
      Lb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Scheme: 'internal', SecurityGroups: [{ 'Fn::GetAtt': ['LbSg', 'GroupId'] }] },
        Metadata: path_('Web/LoadBalancer/Resource'),
      },
      LbSg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { SecurityGroupIngress: [{ CidrIp: '10.0.0.0/8', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }] },
        Metadata: path_('Web/LoadBalancer/SecurityGroup/Resource'),
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          MemorySize: 512,
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': ['FnSg', 'GroupId'] }] },
        },
        Metadata: path_('Jobs/Function/Resource'),
      },
      FnSg: { Type: 'AWS::EC2::SecurityGroup', Properties: {}, Metadata: path_('Jobs/SecurityGroup/Resource') },
      Ingress: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: {
          GroupId: { 'Fn::GetAtt': ['LbSg', 'GroupId'] },
          SourceSecurityGroupId: { 'Fn::GetAtt': ['FnSg', 'GroupId'] },
          IpProtocol: 'tcp',
          FromPort: 8000,
          ToPort: 8010,
        },
      },
      A1: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Topic' }] }, Metadata: path_('Alarms/One/Resource') },
      A2: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { AlarmActions: [{ Ref: 'Topic' }], OKActions: [{ Ref: 'Topic' }] },
        Metadata: path_('Alarms/Two/Resource'),
      },
      A3: { Type: 'AWS::CloudWatch::Alarm', Properties: {}, Metadata: path_('Alarms/Three/Resource') },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {}, Metadata: path_('Alarms/Topic/Resource') },
      Helper: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: path_('Custom::SomethingCustomResourceProvider/Handler') },
      Key: { Type: 'AWS::KMS::Key', Properties: {}, Metadata: path_('Alarms/Key/Resource') },
    },
  };

  test('ports and ranges, another CIDR as its own box, helpers and unlisted types left out', () => {
    const model = diagramModel(template);
    expect(model.edges).toEqual(
      expect.arrayContaining([edge('Jobs_Function', '8000-8010', 'Web_LoadBalancer'), edge('cidr_10_0_0_0_8', '443', 'Web_LoadBalancer')]),
    );
    expect(model.nodes.map((n) => n.id)).toEqual([
      'cidr_10_0_0_0_8',
      'Alarms_Topic',
      'Alarms_alarms_1',
      'Alarms_alarms_2',
      'Jobs_Function',
      'Web_LoadBalancer',
    ]);
  });

  test('alarms with the same targets share a box; a lone alarm keeps its name', () => {
    const model = diagramModel(template);
    const alarms = model.nodes.filter((n) => n.id.startsWith('Alarms_alarms_')).map((n) => n.label);
    expect(alarms.sort()).toEqual(['2 alarms', 'alarm<br/>Three']);
    expect(model.edges.filter((e) => e.to === 'Alarms_Topic')).toHaveLength(1);
  });

  test('the same template in another resource order gives the same text', () => {
    const reversed: CfnTemplate = { Resources: Object.fromEntries(Object.entries(template.Resources!).reverse()) };
    expect(mermaidFor(reversed)).toBe(mermaidFor(template));
  });

  test('renders Mermaid: groups as subgraphs, quoted labels, dashed failure paths', () => {
    const text = mermaidFor({
      Resources: {
        Q: {
          Type: 'AWS::SQS::Queue',
          Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['D', 'Arn'] }, maxReceiveCount: 3 } },
          Metadata: path_('Jobs/Queue/Resource'),
        },
        D: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 }, Metadata: path_('Jobs/Dlq/Resource') },
        S: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'cron(0 "6" * * ? *)' }, Metadata: path_('Jobs/Schedule/Resource') },
      },
    });
    expect(text).toBe(
      [
        '```mermaid',
        'flowchart LR',
        '  subgraph group_Jobs["Jobs"]',
        '    Jobs_Dlq(["dead-letter queue<br/>keeps 14 days"])',
        '    Jobs_Queue(["SQS queue"])',
        '    Jobs_Schedule{{"EventBridge schedule<br/>cron(0 #quot;6#quot; * * ? *)"}}',
        '  end',
        '  Jobs_Queue -.->|"after 3 receives"| Jobs_Dlq',
        '```',
      ].join('\n'),
    );
  });
});

describe('the command line', () => {
  test.each([
    [['--profile', 'qa'], '--profile needs one of dev, staging, prod'],
    [['--profile'], '--profile needs one of dev, staging, prod'],
    [['--frobnicate'], 'unknown argument --frobnicate'],
    [['--check', '--profile', 'dev'], '--check compares the committed prod diagram; drop --profile'],
  ])('%j is refused with exit code 2: %s', (argv, message) => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(main(argv)).toBe(2);
    expect(error.mock.calls[0][0]).toContain(`diagram: ${message}\nUsage: npm run diagram`);
    error.mockRestore();
  });
});

import { expectUsd, line, linesOf, priceFixture } from './fixture';

// Hand-computed from lib/core/prices/prices-us-east-1.json and fixtures/usage.json: edgeRequests
// 1M / 10M, edgeDataOutGb 100 / 1,000, edgeDataToOriginGb 10 / 20, edgeCacheHitPercent 20 / 50.
describe('edge pricing (fixtures/edge.template.json)', () => {
  // GIVEN a distribution with Origin Shield and additional metrics behind a 4-rule web ACL, a
  // disabled distribution, and a 2-rule web ACL that no distribution here names
  // WHEN priced
  const result = priceFixture('edge');

  test('the distribution: HTTPS requests at $0.01 per 10k, data out at $0.085/GB, request bodies to the origin at $0.02/GB', () => {
    expectUsd(line(result, 'EdgeDistribution', 'CloudFront HTTPS requests'), 1, 10);
    expectUsd(line(result, 'EdgeDistribution', 'CloudFront data out to viewers'), 8.5, 85);
    expectUsd(line(result, 'EdgeDistribution', 'CloudFront data to the origin'), 0.2, 0.4);
  });

  test('Origin Shield bills the requests the cache does not answer: 80 % of 1M, 50 % of 10M, at $0.0075 per 10k', () => {
    expectUsd(line(result, 'EdgeDistribution', 'Origin Shield requests'), 0.6, 3.75);
  });

  test('additional metrics: 8 custom metrics at $0.30', () => {
    expectUsd(line(result, 'EdgeMetrics', 'CloudFront additional metrics'), 2.4);
  });

  test('the web ACL: $5, 4 rules at $1, and $0.60 per million of the requests of the distribution that names it', () => {
    expectUsd(line(result, 'WebAcl', 'WAF web ACL'), 5);
    expectUsd(line(result, 'WebAcl', 'WAF rules'), 4);
    expectUsd(line(result, 'WebAcl', 'WAF requests'), 0.6, 6);
  });

  test("a web ACL for a distribution of another template inspects one distribution's requests", () => {
    expectUsd(line(result, 'UsEast1Acl', 'WAF rules'), 2);
    const requests = line(result, 'UsEast1Acl', 'WAF requests');
    expectUsd(requests, 0.6, 6);
    expect(requests.detail).toContain('a distribution of another template (assumed 1)');
  });

  test('a disabled distribution, disabled metrics, the VPC origin and the policies cost nothing; nothing is unpriced', () => {
    expect(linesOf(result, 'OldDistribution')).toEqual({});
    expect(linesOf(result, 'OldMetrics')).toEqual({});
    expect(result.free.map((f) => f.type).sort()).toEqual([
      'AWS::CloudFront::CachePolicy',
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::MonitoringSubscription',
      'AWS::CloudFront::OriginRequestPolicy',
      'AWS::CloudFront::ResponseHeadersPolicy',
      'AWS::CloudFront::VpcOrigin',
    ]);
    expect(result.unpriced).toEqual([]);
  });

  test('the total: every line above, and no data-transfer line without a load balancer or internet gateway', () => {
    expect(result.baseline).toBeCloseTo(1 + 8.5 + 0.2 + 0.6 + 2.4 + 9 + 0.6 + 7 + 0.6, 4);
    expect(result.peak).toBeCloseTo(10 + 85 + 0.4 + 3.75 + 2.4 + 9 + 6 + 7 + 6, 4);
  });
});

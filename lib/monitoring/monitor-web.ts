import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { addBurnRateAlarms } from './burn-rates';
import type { CatalogAlarms } from './catalog-alarms';
import { type DashboardRow, webRow } from './dashboard';
import type { MonitorableWebService } from './monitorable';

/**
 * The web tier's alarms in `scope` and its dashboard row: the deployment alarms adopted (5xx rate,
 * p99 latency), unhealthy tasks, refused connections, CPU, memory, running tasks below
 * `minimumTasks` (none when it is 0), and the SLO burn rates.
 */
export function watchWebService(alarms: CatalogAlarms, web: MonitorableWebService, scope: Construct, minimumTasks: number): DashboardRow {
  const t = alarms.thresholds.web;
  alarms.add('web', 'errorRatePercent', web, scope, { adopt: web.deploymentAlarms?.errorRate, metric: () => web.metric5xxRate() });
  alarms.add('web', 'p99LatencyMs', web, scope, {
    adopt: web.deploymentAlarms?.p99Latency,
    metric: () => web.metricTargetResponseTime(),
    threshold: (ms) => ({ threshold: ms / 1000, text: `${ms} ms` }),
  });
  alarms.add('web', 'unhealthyHostCount', web, scope, { metric: (period) => web.metricUnhealthyHostCount({ period }) });
  alarms.add('web', 'rejectedConnectionsPer5Min', web, scope, { metric: (period) => web.metricRejectedConnectionCount({ period }) });
  alarms.add('web', 'cpuPercent', web, scope, { metric: (period) => web.metricCpuUtilization({ period }) });
  alarms.add('web', 'memoryPercent', web, scope, { metric: (period) => web.metricMemoryUtilization({ period }) });
  if (minimumTasks === 0 && t.runningTasksPercentOfMinimum !== 'off') {
    Annotations.of(scope).addInfo(`No running-tasks alarm: ${web.node.path} may run 0 tasks by design (minimumTasks 0).`);
  } else {
    // Without Container Insights the ALB's healthy hosts stand in for running tasks: a task that
    // runs but fails its health check serves nothing either.
    const running = web.containerInsights ? web.metricRunningTaskCount?.bind(web) : undefined;
    alarms.add('web', 'runningTasksPercentOfMinimum', web, scope, {
      metric: (period) => (running ? running({ statistic: 'Minimum', period }) : web.metricHealthyHostCount({ period })),
      threshold: (percent) => {
        const tasks = Math.ceil((minimumTasks * percent) / 100);
        const source = running ? 'Container Insights RunningTaskCount' : 'ALB healthy hosts';
        return { threshold: tasks, text: `${tasks} (${percent} % of the minimum, ${minimumTasks}; ${source})` };
      },
    });
  }
  if (alarms.thresholds.sloBurnRateAlarms) addBurnRateAlarms(alarms.factory, alarms.thresholds, web, scope);
  return { title: `Web: load balancer and tasks (${web.node.path})`, widgets: webRow(web, alarms.thresholds) };
}

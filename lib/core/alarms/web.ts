import type { AlarmCatalog } from './types';
import { FIVE_MINUTES } from './shared';
import { DEPLOYMENT_ALARM, METRIC_PERIOD_SECONDS } from '../web';

// The web tier: the load balancer and the Fargate service.

export const WEB_ALARMS: AlarmCatalog['web'] = {
  errorRatePercent: {
    tier: 'ALB',
    id: 'ErrorRate',
    title: '5xx rate (ALB and tasks, % of requests)',
    severity: 'critical',
    unit: 'percent',
    comparison: 'above',
    missingData: 'ok',
    periodSeconds: METRIC_PERIOD_SECONDS,
    evaluationPeriods: DEPLOYMENT_ALARM.evaluationPeriods,
    datapointsToAlarm: DEPLOYMENT_ALARM.datapointsToAlarm,
    meaning: `Requests are failing: 502/503/504 from the load balancer (no healthy or reachable task) or 5xx from the app; judged only above ${DEPLOYMENT_ALARM.minRequestsPerMinute} requests a minute. It also rolls back an ECS deployment in progress.`,
    checkFirst:
      "HTTPCode_ELB_5XX_Count against HTTPCode_Target_5XX_Count on the dashboard: ELB errors mean tasks are down or unreachable (target health, ECS service events); target errors are the app's (the web log group). Was there a deployment?",
    adopted: true,
  },
  p99LatencyMs: {
    tier: 'ALB',
    id: 'P99Latency',
    title: 'p99 target response time',
    severity: 'warning',
    unit: 'ms',
    comparison: 'above',
    missingData: 'ok',
    periodSeconds: METRIC_PERIOD_SECONDS,
    evaluationPeriods: DEPLOYMENT_ALARM.evaluationPeriods,
    datapointsToAlarm: DEPLOYMENT_ALARM.datapointsToAlarm,
    meaning:
      'The slowest 1 % of requests are slower than the threshold although the service scales out on latency. It also rolls back an ECS deployment in progress.',
    checkFirst:
      'The database row (CPU, read/write latency, connections) and the cache hit rate; whether the service is at its maximum task count; a deployment just now.',
    adopted: true,
  },
  unhealthyHostCount: {
    tier: 'ALB',
    id: 'UnhealthyHosts',
    title: 'Tasks failing the ALB health check',
    severity: 'warning',
    unit: 'count',
    comparison: 'at-or-above',
    missingData: 'ok',
    periodSeconds: METRIC_PERIOD_SECONDS,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    meaning: 'Tasks have failed their health check for 5 minutes: they take no traffic, and the rest carry their share.',
    checkFirst:
      "The target group's target health reasons, the health-check path in the web log group, and stopped-task reasons in the ECS service events.",
  },
  rejectedConnectionsPer5Min: {
    tier: 'ALB',
    id: 'RejectedConnections',
    title: 'Connections the ALB refused',
    severity: 'warning',
    unit: 'count',
    comparison: 'at-or-above',
    missingData: 'ok',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    meaning: 'The load balancer refused connections because it reached its connection limit: traffic rose faster than it scaled.',
    checkFirst:
      'ActiveConnectionCount and NewConnectionCount of the load balancer; a client retry storm; an ALB capacity reservation for known peaks.',
  },
  cpuPercent: {
    tier: 'ECS',
    id: 'Cpu',
    title: 'Task CPU (service average)',
    severity: 'warning',
    unit: 'percent',
    comparison: 'above',
    missingData: 'keep-state',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    meaning:
      'Average task CPU stayed high for 15 minutes: target tracking has not brought it down, because the service is at its maximum task count or cannot scale fast enough.',
    checkFirst: 'Running tasks against the maximum, the scaling activity of the service, and a deployment that made a code path slower.',
  },
  memoryPercent: {
    tier: 'ECS',
    id: 'Memory',
    title: 'Task memory (service average)',
    severity: 'warning',
    unit: 'percent',
    comparison: 'above',
    missingData: 'keep-state',
    periodSeconds: FIVE_MINUTES,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    meaning: 'Tasks are close to their memory limit: at 100 % the container is killed (exit code 137) and its requests fail.',
    checkFirst: 'Memory growth since the last deployment (a leak), OutOfMemory stopped-task reasons, and whether the task size fits the app.',
  },
  runningTasksPercentOfMinimum: {
    tier: 'ECS',
    id: 'RunningTasks',
    title: 'Tasks running (% of the minimum)',
    severity: 'critical',
    unit: 'percent',
    comparison: 'below',
    missingData: 'keep-state',
    absentOnNewStack:
      'The task count is published once the service runs tasks (then every minute, 0 included), so it is absent only while the stack is being created; counting that as breaching paged on every first deploy. A service that stops reporting is caught by the 5xx and SLO alarms.',
    periodSeconds: METRIC_PERIOD_SECONDS,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    meaning: "Fewer tasks than the service's minimum have been running (healthy) for 5 minutes: capacity is lost, and with none the service is down.",
    checkFirst:
      'The ECS service events (tasks failing to start, image pull errors, Spot interruptions), stopped-task reasons, and the target health of the target group.',
  },
};

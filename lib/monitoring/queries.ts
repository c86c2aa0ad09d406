import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SAVED_QUERIES, type SavedQueryDefinition, type SavedQueryName, type SavedQuerySource } from '../core/log-queries';
import { DASHBOARD_GRID_WIDTH } from '../core/monitoring';
import { Problems } from '../private/problems';

/** The log groups the saved queries read; a query whose log group is absent is not created. */
export interface SavedQueriesProps {
  /**
   * The folder the queries are saved in (the console shows `<folder>/<title>` as a folder).
   *
   * @default - the stack's name
   */
  readonly folder?: string;
  /**
   * The web service's log group: "Slowest requests" (from the app's JSON request log).
   *
   * @default - no such query
   */
  readonly web?: logs.ILogGroup;
  /**
   * The jobs worker's log group: "Job errors by type".
   *
   * @default - no such query
   */
  readonly worker?: logs.ILogGroup;
  /**
   * The database insights worker's log group: "Database insights: top statements".
   *
   * @default - no such query
   */
  readonly databaseInsights?: logs.ILogGroup;
  /**
   * The database's PostgreSQL log group (`Database.logGroups.postgresql`): "Slowest database statements".
   *
   * @default - no such query
   */
  readonly databaseLog?: logs.ILogGroup;
}

/** Human names of the sources, for the dashboard. */
const SOURCE_NAMES: Readonly<Record<SavedQuerySource, string>> = {
  web: "the web service's log",
  worker: "the jobs worker's log",
  databaseInsights: "the database insights worker's log",
  databaseLog: "PostgreSQL's log",
};

/**
 * Saved CloudWatch Logs Insights queries (`AWS::Logs::QueryDefinition`, free until run) for the
 * common investigations, one per log group given (lib/core/log-queries.ts holds their text), in a
 * folder named after the stack. `widget()` is a dashboard text widget that lists them and links to
 * Logs Insights, where they are under "Saved queries".
 */
export class SavedQueries extends Construct {
  /** The saved queries, by name; a query whose log group was not given is absent. */
  readonly definitions: Partial<Record<SavedQueryName, logs.CfnQueryDefinition>>;
  /** The folder the queries are saved in. */
  readonly folder: string;

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    this.folder = props.folder ?? Stack.of(this).stackName;
    const p = new Problems(this.node.path);
    p.check(
      Token.isUnresolved(this.folder) || /^[^/]{1,100}$/.test(this.folder),
      `folder ('${this.folder}') must be 1-100 characters without '/'; the console makes each '/' a folder level`,
    );
    p.throwIfAny();

    const groups: Record<SavedQuerySource, logs.ILogGroup | undefined> = {
      web: props.web,
      worker: props.worker,
      databaseInsights: props.databaseInsights,
      databaseLog: props.databaseLog,
    };
    const definitions: Partial<Record<SavedQueryName, logs.CfnQueryDefinition>> = {};
    for (const [name, query] of Object.entries(SAVED_QUERIES) as [SavedQueryName, SavedQueryDefinition][]) {
      const group = groups[query.source];
      if (!group) continue;
      definitions[name] = new logs.CfnQueryDefinition(this, name[0].toUpperCase() + name.slice(1), {
        name: `${this.folder}/${query.title}`,
        queryString: query.queryLines.join('\n| '),
        logGroupNames: [group.logGroupName],
      });
    }
    this.definitions = definitions;
  }

  /** A dashboard text widget: the saved queries, what each answers, and a link to Logs Insights. */
  widget(width = DASHBOARD_GRID_WIDTH): cloudwatch.TextWidget {
    const region = Stack.of(this).region;
    const saved = (Object.keys(this.definitions) as SavedQueryName[]).map((name) => {
      const q = SAVED_QUERIES[name];
      return `- **${q.title}** (${SOURCE_NAMES[q.source]}): ${q.question}`;
    });
    const markdown = [
      '### Saved Logs Insights queries',
      `Open [Logs Insights](https://console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:logs-insights), then **Saved queries**, folder \`${this.folder}\`: each runs on its log group ($0.005 per GB scanned).`,
      ...saved,
    ].join('\n');
    return new cloudwatch.TextWidget({ markdown, width, height: 2 + saved.length });
  }
}

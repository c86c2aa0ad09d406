// The floor for `npm run bench`: the smallest CDK app (one queue), synthesized the same way as ours.
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';

const app = new App();
new sqs.Queue(new Stack(app, 'HelloWorld'), 'Queue', { enforceSSL: true });

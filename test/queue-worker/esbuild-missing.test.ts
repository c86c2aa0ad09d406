// Without a local esbuild, NodejsFunction would fall back to Docker; QueueWorker refuses instead.
import { Stack } from 'aws-cdk-lib';
import { QueueWorker } from '../../lib';
import { testApp, userStack } from '../helpers/app';

jest.mock('node:module', () => ({
  ...jest.requireActual('node:module'),
  createRequire: () => ({
    resolve: () => {
      throw new Error("Cannot find module 'esbuild/package.json'");
    },
  }),
}));
jest.mock('node:child_process', () => ({
  ...jest.requireActual('node:child_process'),
  spawnSync: () => ({ status: null, error: new Error('spawnSync esbuild ENOENT') }),
}));

test('esbuild missing where bundling is needed is a synth error with the install command', () => {
  const stack = new Stack(testApp({ bundling: true }), 'UserStack');
  expect(() => new QueueWorker(stack, 'Worker', { entry: QueueWorker.jobsEntry() })).toThrow(
    'UserStack/Worker: esbuild is not installed: QueueWorker bundles with the local esbuild and never with Docker; run `npm install --save-dev esbuild`',
  );
});

test('a stack that skips bundling (unit tests) does not need esbuild', () => {
  expect(() => new QueueWorker(userStack(), 'Worker', { entry: QueueWorker.jobsEntry() })).not.toThrow();
});

import type { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { checkConcurrencyBudget } from '../core/lambda-concurrency';

/**
 * The jobs worker's concurrency budget, judged with every function of the stack that reserves
 * concurrency (lib/core/lambda-concurrency.ts).
 */
export function concurrencyProblems(stack: Stack, accountConcurrency: number, jobsMaxConcurrency: number): string[] {
  const reservations = stack.node
    .findAll()
    .filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction && typeof c.reservedConcurrentExecutions === 'number')
    .map((fn) => ({ name: fn.node.scope?.node.path ?? fn.node.path, reservedConcurrency: fn.reservedConcurrentExecutions as number }));
  return [...checkConcurrencyBudget({ accountConcurrency, reservations, jobsMaxConcurrency }).problems];
}

// A private schema in the local PostgreSQL (127.0.0.1:5432, trust auth, superuser `postgres`)
// for one test file, dropped at the end, so tests never see each other's rows.
import { Client } from 'pg';

export const POSTGRES = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' } as const;

export interface TestSchema {
  readonly name: string;
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function createSchema(prefix: string): Promise<TestSchema> {
  const client = new Client(POSTGRES);
  await client.connect();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  await client.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    async query(text, values = []) {
      return (await client.query(text, values)).rows;
    },
    async drop() {
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await client.end();
    },
  };
}

import { filteredColumns, ident, indexCandidates, type StatementStats, type TableStats } from '../../../lambda/db-insights/analyze';
import { normalizeSql } from '../../../lambda/db-insights/normalize';

const orders: TableStats = {
  relid: '1',
  schema: 'shop',
  table: 'orders',
  seqScans: 40,
  seqTuplesRead: 2_400_000,
  indexScans: 0,
  rows: 60_000,
  bytes: 8e6,
  columns: ['id', 'customer_id', 'status', 'created_at'],
  indexes: [{ name: 'orders_pkey', columns: ['id'] }],
};

function statement(query: string, totalMs = 100, calls = 40): StatementStats {
  return { queryid: String(query.length), query, calls, rows: calls, totalMs, meanMs: totalMs / calls };
}

describe('normalizeSql', () => {
  test.each([
    ["SELECT * FROM t WHERE name = 'O''Brien' AND id = 42", 'SELECT * FROM t WHERE name = ? AND id = ?'],
    ["SELECT * FROM t WHERE id IN (1, 2, 3) AND x = E'a\\'b'", 'SELECT * FROM t WHERE id IN (?) AND x = ?'],
    ['SELECT $1::int, 1.5e3, t1.col2 FROM t1 -- secret\nWHERE a = $2', 'SELECT $1::int, ?, t1.col2 FROM t1 WHERE a = $2'],
    ["DO $$BEGIN PERFORM 'x'; END$$; SELECT $tag$body$tag$", 'DO ?; SELECT ?'],
    ['/* app: 5 */ SELECT "Weird""Name" FROM "T"', 'SELECT "Weird""Name" FROM "T"'],
    ["INSERT INTO t VALUES (1, 'a'), (2, 'b')", 'INSERT INTO t VALUES (?), (?)'],
  ])('%j becomes %j', (text, normalized) => {
    expect(normalizeSql(text)).toBe(normalized);
  });

  test('cuts long statements', () => {
    expect(normalizeSql(`SELECT ${'a, '.repeat(1000)}b`)).toHaveLength(1000);
  });
});

describe('filteredColumns', () => {
  test.each([
    ['SELECT * FROM shop.orders WHERE customer_id = $1', ['customer_id']],
    ['SELECT * FROM orders o WHERE o.status IN ($1) AND o.created_at >= $2 ORDER BY o.id', ['status', 'created_at']],
    ['SELECT c.name FROM customers c JOIN shop.orders AS o ON o.customer_id = c.id WHERE c.region = $1', ['customer_id']],
    ['SELECT * FROM customers c JOIN orders o ON c.id = o.customer_id', ['customer_id']],
    ['UPDATE shop.orders SET status = $1 WHERE id = $2', ['id']],
    ['SELECT * FROM other.orders WHERE customer_id = $1', []],
    ['SELECT * FROM customers WHERE customer_id = $1', []],
    ['SELECT * FROM "Orders" WHERE status = $1', []],
  ])('%s filters %j of shop.orders', (query, columns) => {
    expect(filteredColumns(query, orders)).toEqual(columns);
  });
});

describe('indexCandidates', () => {
  test('a filtered column without a leading index, ranked by the time its statements take', () => {
    const found = indexCandidates(
      [orders],
      [
        statement('SELECT * FROM shop.orders WHERE status = $1', 50),
        statement('SELECT * FROM shop.orders WHERE customer_id = $1', 900),
        statement('SELECT * FROM shop.orders WHERE id = $1', 5000),
      ],
      250,
    );
    expect(found.map((c) => [c.column, c.suggestion])).toEqual([
      ['customer_id', 'CREATE INDEX CONCURRENTLY ON shop.orders (customer_id);'],
      ['status', 'CREATE INDEX CONCURRENTLY ON shop.orders (status);'],
    ]);
  });

  test('none for a table an index already serves, a table rarely read whole, or a one-off fast statement', () => {
    const indexed = { ...orders, indexes: [...orders.indexes, { name: 'by_customer', columns: ['customer_id', 'status'] }] };
    const rarelyScanned = { ...orders, seqTuplesRead: 9 * orders.rows };
    const query = 'SELECT * FROM shop.orders WHERE customer_id = $1';
    expect(indexCandidates([indexed], [statement(query)], 250)).toEqual([]);
    expect(indexCandidates([rarelyScanned], [statement(query)], 250)).toEqual([]);
    expect(indexCandidates([orders], [statement(query, 3, 1)], 250)).toEqual([]);
  });

  test('quotes names that need it', () => {
    expect(ident('Orders')).toBe('"Orders"');
    expect(ident('order items')).toBe('"order items"');
    expect(ident('orders_2026')).toBe('orders_2026');
  });
});

// joins.mjs DIR: checks, with DuckDB, that eesim's outputs join on their
// keys without losing a row (docs/datasets.md, "Conventions"). DIR holds
// the outputs of .ci/joins.sh: backtest/, ingest/, history/, simulate/.
// Exits 1 when a check fails.
import { createRequire } from 'node:module';

const require = createRequire(process.env.EESIM_NODE_MODULES + '/');
const { DuckDBInstance } = require('@duckdb/node-api');

const dir = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const one = async (sql) => {
  const r = await con.runAndReadAll(sql);
  return r.getRows()[0].map((v) => (typeof v === 'bigint' ? Number(v) : v));
};

// A CSV carries no types: draw_number is declared text, as
// docs/datasets.md tells readers to do.
const text = "types={'draw_number': 'VARCHAR'}";
let failed = 0;
const check = async (name, sql) => {
  const [rows, joined, agree] = await one(sql);
  const ok = rows > 0 && rows === joined && joined === agree;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${rows} rows, ${joined} joined, ${agree} agreeing`);
  if (!ok) failed++;
};

await check('backtest.csv x rounds.parquet on draw_number',
  `SELECT (SELECT count(*) FROM read_csv('${dir}/backtest/backtest.csv', ${text})),
          count(*), count(*) FILTER (WHERE b.family = r.family AND b.draw_date = r.draw_date
                                     AND b.invitations = r.invitations AND b.real_cutoff = r.cutoff)
   FROM read_csv('${dir}/backtest/backtest.csv', ${text}) b
   JOIN '${dir}/ingest/rounds.parquet' r ON b.draw_number = r.draw_number`);

await check('tiebreak-lag.csv x rounds.csv on draw_number',
  `SELECT (SELECT count(*) FROM read_csv('${dir}/history/tiebreak-lag.csv', ${text})),
          count(*), count(*) FILTER (WHERE l.family = r.family AND l.draw_date = r.draw_date
                                     AND l.instant = r.instant AND l.tiebreak = r.tiebreak)
   FROM read_csv('${dir}/history/tiebreak-lag.csv', ${text}) l
   JOIN read_csv('${dir}/history/rounds.csv', ${text}) r ON l.draw_number = r.draw_number`);

await check('invitations-monthly.csv sums = rounds.csv by month and family',
  `WITH r AS (SELECT date_trunc('month', draw_date)::DATE AS m, family, count(*) AS n, sum(invitations) AS inv
              FROM read_csv('${dir}/history/rounds.csv', ${text}) GROUP BY ALL)
   SELECT (SELECT count(*) FROM read_csv('${dir}/history/invitations-monthly.csv')),
          count(*), count(*) FILTER (WHERE m.rounds = r.n AND m.invitations = r.inv)
   FROM read_csv('${dir}/history/invitations-monthly.csv') m
   JOIN r ON m.month_start = r.m AND m.family = r.family`);

// runs.parquet reads with no extension; its rounds join quantiles.csv.
await check('runs.parquet x quantiles.csv on round',
  `SELECT (SELECT count(DISTINCT round) FROM '${dir}/simulate/runs.parquet'),
          count(*), count(*) FILTER (WHERE q.family = r.family AND q.size = r.size)
   FROM (SELECT DISTINCT round, family, size FROM '${dir}/simulate/runs.parquet') r
   JOIN read_csv('${dir}/simulate/quantiles.csv') q ON q.round = r.round`);

const [ts] = await one(`SELECT typeof(instant) FROM read_csv('${dir}/history/rounds.csv') LIMIT 1`);
console.log(`${ts === 'TIMESTAMP' ? 'ok  ' : 'FAIL'} rounds.csv instant reads as ${ts}`);
if (ts !== 'TIMESTAMP') failed++;

process.exit(failed ? 1 : 0);

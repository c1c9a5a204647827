// The import graph points one way (README, "Layout"):
//   server → schema → services → db/{commands,stats,queries,vault} → db/tables
// never upwards, never db/ → services or server, the web app only through the public API (HTTP),
// and no import cycles. Every import counts, `import type` and dynamic `import()` included.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** The parts of the code, each a folder (db/ split by layer), and what each may import. */
export type Part = 'server' | 'schema' | 'services' | 'db' | 'db/commands' | 'db/stats' | 'db/queries' | 'db/vault' | 'db/tables' | 'web' | 'bench' | 'test';

const DB_BELOW_SERVICES: Part[] = ['db', 'db/commands', 'db/stats', 'db/queries', 'db/vault', 'db/tables'];
export const MAY_IMPORT: Record<Part, Part[]> = {
  // The HTTP edge and process wiring.
  server: ['server', 'schema', 'services', ...DB_BELOW_SERVICES],
  // GraphQL types and thin resolvers.
  schema: ['schema', 'services', ...DB_BELOW_SERVICES],
  // The domain: auth, receipts, notify, media, share, rate limits.
  services: ['services', ...DB_BELOW_SERVICES],
  // The write side re-checks policies with reads, and writes personal data through the vault (and
  // fixes an A/B variant by the split of db/stats).
  'db/commands': ['db/commands', 'db/stats', 'db/queries', 'db/vault', 'db/tables', 'db'],
  // The only reader/writer of personal information (its reads raise alerts through a command).
  'db/vault': ['db/vault', 'db/commands', 'db/queries', 'db/tables', 'db'],
  // Aggregates and statistics: counts over rows, small groups suppressed, the A/B test maths. Reads only.
  'db/stats': ['db/stats', 'db/queries', 'db/tables', 'db'],
  // The read side never writes.
  'db/queries': ['db/queries', 'db/tables', 'db'],
  // The engine: connection, transactions, errors, ids, relations, dialects, backup.
  db: ['db', 'db/tables'],
  'db/tables': ['db/tables'],
  // The browser app knows the server only through the public API (HTTP, schema/schema.graphql).
  web: ['web'],
  // The benchmark harness drives the server as a tool around it (with the tests' database helpers).
  bench: ['bench', 'server', 'schema', 'services', ...DB_BELOW_SERVICES, 'test'],
  // Tests may import anything; they are not walked, only imported (by the benchmark harness).
  test: ['test', 'bench', 'server', 'schema', 'services', ...DB_BELOW_SERVICES],
};

export function partOf(file: string): Part | null {
  if (file.startsWith('web/')) return 'web';
  for (const part of ['server', 'schema', 'services', 'bench', 'test'] as const) if (file.startsWith(`${part}/`)) return part;
  for (const part of ['db/tables', 'db/commands', 'db/stats', 'db/queries'] as const) if (file.startsWith(`${part}/`)) return part;
  if (file === 'db/vault.ts' || file.startsWith('db/vault/')) return 'db/vault';
  if (file.startsWith('db/')) return 'db';
  return null;
}

/** file → the files it imports (repository-relative paths). */
export type ImportGraph = Map<string, string[]>;

export interface Violation {
  from: string;
  to: string;
  rule: string;
}

/** Every import that goes where its part may not. */
export function forbiddenImports(graph: ImportGraph): Violation[] {
  const found: Violation[] = [];
  for (const [from, targets] of graph) {
    const part = partOf(from);
    if (!part) continue;
    for (const to of targets) {
      const target = partOf(to);
      if (target && MAY_IMPORT[part].includes(target)) continue;
      found.push({ from, to, rule: `${part} may import ${MAY_IMPORT[part].join(', ')}; not ${target ?? to}` });
    }
  }
  return found;
}

/** The first import cycle a depth-first walk meets, as the files around it (first = last), or null. */
export function findCycle(graph: ImportGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of [...graph.keys()].sort()) {
    if (state.has(file)) continue;
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

function sources(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('migrations')) return [];
    return statSync(join(root, path)).isDirectory() ? sources(path) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A relative specifier as the file it names: `./x.js` is x.ts, `./x` x.ts(x) or x/index.ts(x). */
function resolve(from: string, specifier: string): string {
  const base = normalize(join(dirname(from), specifier));
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, join(stem, 'index.ts'), join(stem, 'index.tsx')];
  return candidates.find((c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile()) ?? base;
}

/** The repository's import graph (relative imports only: packages are not parts). */
export function importGraph(dirs: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap(sources)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    graph.set(file, [...new Set(importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')).map((s) => resolve(file, s)))]);
  }
  return graph;
}

describe('the import graph', () => {
  const graph = importGraph(['server', 'schema', 'services', 'db', 'web/src', 'bench']);

  it('reads the parts it checks', () => {
    const parts = new Set([...graph.keys()].map(partOf));
    expect([...parts].sort()).toEqual(Object.keys(MAY_IMPORT).filter((p) => p !== 'test').sort());
    expect(graph.get('server/app.ts')).toContain('schema/index.ts');
  });

  it('points one way: server → schema → services → db/{commands,stats,queries,vault} → db/tables', () => {
    expect(forbiddenImports(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(findCycle(graph)).toBeNull();
  });
});

describe('the import graph checker', () => {
  const fake = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));
  const allowed = {
    'server/app.ts': ['schema/index.ts', 'services/context.ts', 'db/client.ts'],
    'schema/index.ts': ['services/context.ts', 'db/queries/access.ts', 'db/stats/insights.ts'],
    'db/stats/insights.ts': ['db/queries/access.ts', 'db/tables/index.ts', 'db/client.ts'],
    'services/context.ts': ['db/queries/access.ts', 'db/vault.ts'],
    'db/queries/access.ts': ['db/tables/index.ts', 'db/client.ts'],
    'db/vault.ts': ['db/commands/alerts.ts', 'db/tables/index.ts'],
    'db/commands/alerts.ts': ['db/queries/access.ts', 'db/tables/index.ts'],
    'db/client.ts': ['db/tables/index.ts'],
    'db/tables/index.ts': [],
    'web/src/main.tsx': ['web/src/App.tsx'],
    'web/src/App.tsx': [],
  };

  it('accepts imports that point down', () => {
    expect(forbiddenImports(fake(allowed))).toEqual([]);
    expect(findCycle(fake(allowed))).toBeNull();
  });

  it('refuses one forbidden import, naming it', () => {
    for (const [from, to] of [
      ['schema/index.ts', 'server/app.ts'],
      ['services/context.ts', 'schema/index.ts'],
      ['db/commands/alerts.ts', 'services/context.ts'],
      ['db/client.ts', 'server/app.ts'],
      ['db/queries/access.ts', 'db/commands/alerts.ts'],
      ['db/queries/access.ts', 'db/stats/insights.ts'],
      ['db/stats/insights.ts', 'db/commands/alerts.ts'],
      ['db/stats/insights.ts', 'services/context.ts'],
      ['db/tables/index.ts', 'db/client.ts'],
      ['web/src/App.tsx', 'schema/index.ts'],
      ['web/src/App.tsx', 'db/tables/index.ts'],
    ] as const) {
      const graph = fake({ ...allowed, [from]: [...(allowed as Record<string, string[]>)[from]!, to] });
      expect(forbiddenImports(graph).map((v) => [v.from, v.to])).toEqual([[from, to]]);
    }
  });

  it('finds a cycle and names its files', () => {
    const graph = fake({ ...allowed, 'db/client.ts': ['db/tables/index.ts', 'db/tx.ts'], 'db/tx.ts': ['db/client.ts'] });
    expect(findCycle(graph)).toEqual(['db/client.ts', 'db/tx.ts', 'db/client.ts']);
    const longer = fake({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['d.ts', 'b.ts'], 'd.ts': [] });
    expect(findCycle(longer)).toEqual(['b.ts', 'c.ts', 'b.ts']);
  });
});

import { odooProcessSizing } from './odoo-sizing';
import type { ComponentId, ComponentPolicy, EnvironmentConfig } from './schema';

/**
 * PostgreSQL connections the platform can hold at once, at every component's maximum, against the
 * instance's max_connections: synth fails when the worst case does not fit (lib/config/index.ts),
 * naming every term. Each term is an upper bound (a pool's size, not its typical use).
 */
export const CONTROL_PLANE_CONNECTIONS = {
  /** The database bootstrap custom resource (deploy time): one connection. */
  bootstrap: 1,
  /**
   * Secrets Manager rotation: each run of the alternating-users function holds a connection as the
   * master user and one as the user it checks; three secrets (master, Odoo, n8n) may rotate at once.
   */
  rotation: 3 * 2,
} as const;

export interface ConnectionBudgetTerm {
  readonly name: string;
  readonly connections: number;
  readonly formula: string;
}

export interface ConnectionBudget {
  readonly terms: readonly ConnectionBudgetTerm[];
  readonly total: number;
  /** max_connections less the connections reserved for superusers. */
  readonly available: number;
  readonly fits: boolean;
}

export function connectionBudget(
  env: EnvironmentConfig,
  components: Readonly<Record<ComponentId, Pick<ComponentPolicy, 'capacity'>>>,
): ConnectionBudget {
  const odoo = odooProcessSizing(env.odoo);
  const odooTasks = components.odoo.capacity.max;
  const n8nTasks = components.n8n.capacity.max;
  const terms: ConnectionBudgetTerm[] = [
    {
      name: 'odoo',
      connections: odooTasks * odoo.connectionsPerTask,
      formula:
        `${odooTasks} tasks x ((${odoo.workers} workers + ${odoo.maxCronThreads} cron + 1 master) x ` +
        `db_maxconn ${odoo.dbMaxConn} + db_maxconn_gevent ${odoo.dbMaxConnGevent})`,
    },
    {
      name: 'odoo-init',
      connections: odoo.dbMaxConn,
      formula: `1 init task x db_maxconn ${odoo.dbMaxConn}`,
    },
    {
      name: 'n8n',
      connections: (n8nTasks + 1) * env.n8n.dbPoolSize,
      formula: `(${n8nTasks} workers + 1 main) x pool ${env.n8n.dbPoolSize}`,
    },
    {
      name: 'control-plane',
      connections: CONTROL_PLANE_CONNECTIONS.bootstrap,
      formula: 'database bootstrap 1',
    },
    {
      name: 'rotation',
      connections: CONTROL_PLANE_CONNECTIONS.rotation,
      formula: '3 secrets x 2',
    },
  ];
  const total = terms.reduce((sum, t) => sum + t.connections, 0);
  const available = env.database.maxConnections - env.database.reservedConnections;
  return { terms, total, available, fits: total <= available };
}

/** The synth-time message: every term with its formula, and the limit it broke. */
export function describeConnectionBudget(
  budget: ConnectionBudget,
  maxConnections: number,
  reserved: number,
): string {
  const terms = budget.terms.map((t) => `${t.name} ${t.connections} (${t.formula})`).join(' + ');
  return (
    `the connection budget needs ${budget.total} connections (${terms}) but only ${budget.available} are ` +
    `available (max_connections ${maxConnections} - ${reserved} reserved): lower odoo.dbMaxConnPerProcess, ` +
    `odoo.dbMaxConnGevent or a component's capacity.max, or choose a larger instance class`
  );
}

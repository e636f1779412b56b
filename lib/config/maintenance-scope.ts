import { ALERT_COMPONENTS, type AlertComponent, type BackupResourceId } from './constants';

/**
 * Which component runs on which (issue 19, one maintenance model): a maintenance window declared
 * on a component (`ops maintenance declare COMPONENT`) holds that component and everything that
 * depends on it, directly or not. A window on `postgresql` (an engine upgrade, a failover test)
 * therefore holds Odoo's and n8n's pages, scale-outs and remediations too: their alarms during the
 * window are the database's doing. `platform` (the VPC, the ECS cluster, the load balancer) holds
 * everything. A window on `odoo` holds nothing but Odoo: n8n does not run on Odoo.
 *
 * The escalation's pages, the scaling decisions, the stalled-GPU remediation and the backup
 * re-runs all ask the same question (lambdas/aws/state-store.ts `activeMaintenance`), so one
 * window means the same everywhere. Security and backup ALERTS still page inside any window
 * (lambdas/core/escalation/register.ts): what a window holds is automatic action and ordinary pages.
 */
export const MAINTENANCE_DEPENDENCIES: Readonly<Record<AlertComponent, readonly AlertComponent[]>> = {
  platform: [],
  // RDS runs inside the platform's VPC and subnets.
  postgresql: ['platform'],
  // Odoo and n8n keep their data in the PostgreSQL instance (docs/architecture.md).
  odoo: ['postgresql'],
  n8n: ['postgresql'],
  // The GPU hosts keep no data in PostgreSQL: they read the generation queue (SQS) and write S3.
  'flux-gpu': ['platform'],
  // AWS Backup's own vault and plans; the database's re-run is also held by `postgresql` (below).
  backup: ['platform'],
  security: ['platform'],
};

/**
 * The components whose windows hold each protected resource's automatic backup re-run: the
 * database's backup is the PostgreSQL instance's snapshot (an RDS instance being modified or
 * upgraded refuses a snapshot, and a re-run would only fail again or compete with the upgrade), and
 * `backup` windows cover work on the vault and plans themselves. Each list is expanded with its
 * components' dependencies, so `platform` holds every re-run.
 */
export const BACKUP_RESOURCE_MAINTENANCE: Readonly<Record<BackupResourceId, readonly AlertComponent[]>> = {
  database: ['postgresql', 'backup'],
  filestore: ['backup'],
  images: ['backup'],
};

const KNOWN: ReadonlySet<string> = new Set(ALERT_COMPONENTS);

/**
 * The problems of a dependency graph: every component named, no unknown name, no cycle (a
 * component depending on itself is the shortest). Plain checks rather than zod: the graph is read
 * by Lambda functions (through the state store), whose bundles carry no zod.
 */
export function dependencyProblems(graph: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(graph))
    if (!KNOWN.has(name)) problems.push(`${name}: unknown component (one of ${ALERT_COMPONENTS.join(', ')})`);
  for (const name of ALERT_COMPONENTS)
    if (!(name in graph)) problems.push(`${name}: missing (list [] if it depends on nothing)`);
  for (const [name, deps] of Object.entries(graph))
    for (const dep of deps)
      if (!KNOWN.has(dep)) problems.push(`${name}: depends on unknown component ${dep}`);
  const cycle = findCycle(graph);
  if (cycle) problems.push(`${cycle[0]}: dependency cycle ${cycle.join(' -> ')}`);
  return problems;
}

/** A cycle as the path that closes it (a -> b -> a), or undefined. */
function findCycle(graph: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const dep of graph[name] ?? []) {
      const found = visit(dep, [...path, name]);
      if (found) return found;
    }
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(graph)) {
    const found = visit(name, []);
    if (found) return found;
  }
  return undefined;
}

/** A checked dependency graph; a bad one fails naming the component (at synth, and at import). */
export function maintenanceDependencies(
  graph: Readonly<Record<string, readonly string[]>>,
): Readonly<Record<AlertComponent, readonly AlertComponent[]>> {
  const problems = dependencyProblems(graph);
  if (problems.length > 0) throw new Error(`maintenance dependencies: ${problems.join('; ')}`);
  return graph as Record<AlertComponent, readonly AlertComponent[]>;
}

const VALIDATED = maintenanceDependencies(MAINTENANCE_DEPENDENCIES);

/**
 * The components whose windows hold `component`: itself first, then what it depends on, nearest
 * first (odoo -> odoo, postgresql, platform). A name outside the graph holds only itself.
 */
export function heldBy(
  component: string,
  graph: Readonly<Record<string, readonly string[]>> = VALIDATED,
): string[] {
  const order: string[] = [];
  let frontier = [component];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier)
      if (!order.includes(name)) {
        order.push(name);
        next.push(...(graph[name] ?? []));
      }
    frontier = next;
  }
  return order;
}

/** The components a window on `component` holds besides itself (postgresql -> odoo, n8n). */
export function dependentsOf(
  component: string,
  graph: Readonly<Record<string, readonly string[]>> = VALIDATED,
): string[] {
  return Object.keys(graph).filter((name) => name !== component && heldBy(name, graph).includes(component));
}

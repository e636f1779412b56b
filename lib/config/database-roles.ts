/**
 * PostgreSQL names shared by the data stack (one secret per application), the workloads (which
 * database each connects to) and the bootstrap Lambda (lambdas/db-bootstrap), free of any CDK or AWS
 * import so that all three can read them.
 *
 * Each application has three roles (see lambdas/core/database/bootstrap-plan.ts for why):
 * - `owner`: NOLOGIN; owns the database and every object in it;
 * - `user` and `user` + CLONE_SUFFIX: the two logins Secrets Manager's alternating-users rotation
 *   takes turns with; both are members of `owner` and act as it (`ALTER ROLE ... SET role`).
 */

/** The suffix AWS's multi-user rotation function appends to the secret's first username. */
export const CLONE_SUFFIX = '_clone';

export interface AppDatabaseRoles {
  /** The application's database. */
  readonly database: string;
  /** The login the application's secret is created with (its clone is `user` + CLONE_SUFFIX). */
  readonly user: string;
  /** The NOLOGIN role that owns the database and its objects. */
  readonly ownerRole: string;
}

export const ODOO_DATABASE_ROLES: AppDatabaseRoles = {
  database: 'odoo',
  user: 'odoo',
  ownerRole: 'odoo_owner',
};

export const N8N_DATABASE_ROLES: AppDatabaseRoles = {
  database: 'n8n',
  user: 'n8n',
  ownerRole: 'n8n_owner',
};

/** The two login roles of an application: the secret's first user and its rotation clone. */
export function loginRolesOf(user: string): readonly [string, string] {
  return [user, `${user}${CLONE_SUFFIX}`];
}

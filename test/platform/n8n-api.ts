import * as fs from 'node:fs';

/**
 * Workflows created and activated the way this n8n version allows while it runs: its public REST
 * API (/api/v1) with an API key. The CLI route does not work in 1.122.5: `import:workflow` writes no
 * workflow_history row, and `update:workflow --active=true` then sets activeVersionId to a version
 * that does not exist (a foreign-key violation), so the CLI cannot activate an imported workflow.
 *
 * An API key needs a user: the instance's owner is set up once (POST /rest/owner/setup, which only
 * a fresh instance accepts) and the key is created in its session, as a person would in the editor.
 */
export interface WorkflowFixture {
  readonly name: string;
  readonly nodes: unknown[];
  readonly connections: Record<string, unknown>;
  readonly settings?: Record<string, unknown>;
}

export interface N8nApi {
  /** Creates the workflow and activates it; its id as n8n assigned it. */
  createActive(fixture: WorkflowFixture): Promise<string>;
}

const BROWSER_ID = 'n8n-conformance-test';
const TIMEOUT_MS = 30_000;

export function readWorkflowFixture(file: string): WorkflowFixture {
  const { name, nodes, connections, settings } = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowFixture;
  // Only the fields the public API accepts (it rejects ids, active flags and version ids).
  return { name, nodes, connections, settings: settings ?? {} };
}

async function call(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<Response> {
  const response = await fetch(url, {
    method: init.method,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`${init.method} ${url}: HTTP ${response.status} ${await response.text()}`);
  }
  return response;
}

export async function n8nApi(baseUrl: string): Promise<N8nApi> {
  // The browser id binds the session cookie to this client (n8n checks it on every /rest call).
  const headers = { 'browser-id': BROWSER_ID };
  const setup = await call(`${baseUrl}/rest/owner/setup`, {
    method: 'POST',
    headers,
    body: {
      email: 'owner@conformance.test',
      firstName: 'Conformance',
      lastName: 'Test',
      password: 'Conformance-Test-1',
    },
  });
  const cookie = setup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('n8n-auth='));
  if (cookie === undefined) throw new Error('n8n owner setup returned no n8n-auth session cookie');
  const keyResponse = await call(`${baseUrl}/rest/api-keys`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: {
      label: 'conformance',
      expiresAt: null,
      scopes: ['workflow:create', 'workflow:read', 'workflow:activate'],
    },
  });
  const { data } = (await keyResponse.json()) as { data: { rawApiKey?: string } };
  const apiKey = data.rawApiKey;
  if (apiKey === undefined) throw new Error('n8n created an API key but returned no rawApiKey');
  const api = { 'x-n8n-api-key': apiKey };
  return {
    async createActive(fixture) {
      const created = await call(`${baseUrl}/api/v1/workflows`, {
        method: 'POST',
        headers: api,
        body: fixture,
      });
      const { id } = (await created.json()) as { id: string };
      const activated = await call(`${baseUrl}/api/v1/workflows/${id}/activate`, {
        method: 'POST',
        headers: api,
      });
      const { active } = (await activated.json()) as { active: boolean };
      if (!active) throw new Error(`n8n did not activate workflow "${fixture.name}" (${id})`);
      return id;
    },
  };
}

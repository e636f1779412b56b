import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Ticket systems on 127.0.0.1 for the ticket tests: an Odoo speaking the external JSON-RPC
 * protocol (`POST /jsonrpc`, services `common` and `object`, errors as JSON-RPC error objects with
 * HTTP 200, as odoo/http.py answers them) and a Jira Cloud speaking REST API v3. Each records the
 * requests it was sent and can be told to fail the next ones: HTTP 500, a body that is not JSON,
 * an error object (Odoo), or no answer at all.
 */
export type Fault = 'http-500' | 'garbage' | 'rpc-error' | 'hang';

abstract class FakeServer {
  private readonly server = http.createServer((req, res) => void this.receive(req, res));
  private readonly hanging = new Set<http.ServerResponse>();
  /** Faults for the next requests, in order; then `always`, if set. */
  faults: Fault[] = [];
  always: Fault | undefined;
  /** Called as each request arrives (a test reads what was paged by then). */
  onRequest: (() => void) | undefined;
  /** Every request received, faulted or answered. */
  received = 0;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract answer(req: http.IncomingMessage, body: unknown): { status: number; body?: unknown };
  protected abstract rpcError(body: unknown): unknown;

  private async receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    this.received++;
    this.onRequest?.();
    const fault = this.faults.shift() ?? this.always;
    if (fault === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (fault === 'http-500')
      return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    if (fault === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc": "2.0", "res');
    const answer =
      fault === 'rpc-error' ? { status: 200, body: this.rpcError(body) } : this.answer(req, body);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}

export interface OdooCall {
  readonly service: string;
  readonly method: string;
  /** For `object.execute_kw`: the model, its method, args and kwargs. */
  readonly model?: string;
  readonly op?: string;
  readonly args: unknown[];
  readonly kwargs?: Record<string, unknown>;
}

export class FakeOdoo extends FakeServer {
  static readonly DB = 'influencegen';
  static readonly LOGIN = 'ticket-bot@influencegen.example';
  static readonly API_KEY = 'odoo-api-key-1234';
  static readonly UID = 7;
  readonly calls: OdooCall[] = [];
  readonly tickets = new Map<number, Record<string, unknown>>();
  readonly notes: { readonly id: number; readonly body: string }[] = [];
  readonly stages = new Map<string, number>([
    ['In Progress', 2],
    ['Solved', 3],
  ]);
  private nextId = 40;

  protected rpcError(body: unknown): unknown {
    return {
      jsonrpc: '2.0',
      id: (body as { id?: unknown } | undefined)?.id ?? null,
      error: {
        code: 200,
        message: 'Odoo Server Error',
        data: {
          name: 'psycopg2.errors.SerializationFailure',
          message: 'could not serialize access due to concurrent update',
          arguments: [],
          context: {},
        },
      },
    };
  }

  private error(id: unknown, name: string, message: string) {
    return {
      status: 200,
      body: {
        jsonrpc: '2.0',
        id,
        error: { code: 200, message: 'Odoo Server Error', data: { name, message } },
      },
    };
  }

  protected answer(req: http.IncomingMessage, body: unknown): { status: number; body?: unknown } {
    const rpc = body as {
      jsonrpc?: unknown;
      method?: unknown;
      id?: unknown;
      params?: { service?: string; method?: string; args?: unknown[] };
    };
    if (req.url !== '/jsonrpc' || req.method !== 'POST') return { status: 404, body: { error: 'not found' } };
    if (rpc?.jsonrpc !== '2.0' || rpc.method !== 'call' || !rpc.params || !Array.isArray(rpc.params.args))
      return this.error(rpc?.id ?? null, 'werkzeug.exceptions.BadRequest', 'Invalid JSON-RPC request');
    const { service = '', method = '', args } = rpc.params;
    const ok = (result: unknown) => ({ status: 200, body: { jsonrpc: '2.0', id: rpc.id, result } });
    if (service === 'common' && method === 'authenticate') {
      this.calls.push({ service, method, args: args.map((a, i) => (i === 2 ? '*' : a)) });
      const [db, login, password] = args;
      return ok(
        db === FakeOdoo.DB && login === FakeOdoo.LOGIN && password === FakeOdoo.API_KEY
          ? FakeOdoo.UID
          : false,
      );
    }
    if (service !== 'object' || method !== 'execute_kw')
      return this.error(rpc.id, 'builtins.NameError', `unknown ${service}.${method}`);
    const [db, uid, password, model, op, opArgs = [], kwargs = {}] = args as [
      string,
      number,
      string,
      string,
      string,
      unknown[],
      Record<string, unknown>,
    ];
    this.calls.push({ service, method, model, op, args: opArgs, kwargs });
    if (db !== FakeOdoo.DB || uid !== FakeOdoo.UID || password !== FakeOdoo.API_KEY)
      return this.error(rpc.id, 'odoo.exceptions.AccessDenied', 'Access Denied');
    if (model === 'helpdesk.stage' && op === 'search') {
      const name = ((opArgs[0] as unknown[][])[0] as unknown[])[2] as string;
      return ok(this.stages.has(name) ? [this.stages.get(name)] : []);
    }
    if (model !== 'helpdesk.ticket') return this.error(rpc.id, 'builtins.KeyError', model);
    switch (op) {
      case 'create': {
        const id = this.nextId++;
        this.tickets.set(id, { ...(opArgs[0] as Record<string, unknown>) });
        return ok(id);
      }
      case 'write': {
        const [ids, values] = opArgs as [number[], Record<string, unknown>];
        for (const id of ids) {
          if (!this.tickets.has(id))
            return this.error(rpc.id, 'odoo.exceptions.MissingError', `Record ${id} does not exist`);
          Object.assign(this.tickets.get(id) as object, values);
        }
        return ok(true);
      }
      case 'message_post': {
        const [ids] = opArgs as [number[]];
        for (const id of ids) this.notes.push({ id, body: String(kwargs.body) });
        return ok(1000 + this.notes.length);
      }
      case 'search_read': {
        const marker = (((opArgs[0] as unknown[][])[0] as unknown[])[2] as string) ?? '';
        const found = [...this.tickets.entries()].filter(([, t]) => String(t.name).includes(marker));
        return ok(found.slice(0, Number(kwargs.limit ?? 80)).map(([id]) => ({ id })));
      }
      default:
        return this.error(rpc.id, 'builtins.AttributeError', `no method ${op}`);
    }
  }

  /** The execute_kw calls on a model method. */
  ops(op: string): OdooCall[] {
    return this.calls.filter((c) => c.op === op);
  }
}

export interface JiraRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export class FakeJira extends FakeServer {
  static readonly EMAIL = 'ticket-bot@influencegen.example';
  static readonly TOKEN = 'jira-api-token';
  readonly requests: JiraRequest[] = [];
  readonly issues = new Map<
    string,
    { fields: Record<string, unknown>; comments: unknown[]; transitions: string[] }
  >();
  private next = 1;

  protected rpcError(): unknown {
    return { errorMessages: ['unexpected'], errors: {} };
  }

  protected answer(req: http.IncomingMessage, body: unknown): { status: number; body?: unknown } {
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
    const expected = `Basic ${Buffer.from(`${FakeJira.EMAIL}:${FakeJira.TOKEN}`).toString('base64')}`;
    if (req.headers.authorization !== expected)
      return { status: 401, body: { errorMessages: ['Unauthorized'] } };
    if (req.method === 'POST' && path === '/rest/api/3/issue') {
      const fields = (body as { fields?: Record<string, unknown> }).fields ?? {};
      if (typeof fields.summary !== 'string' || (fields.description as { type?: string })?.type !== 'doc')
        return {
          status: 400,
          body: { errors: { description: 'Operation value must be an Atlassian Document' } },
        };
      const key = `OPS-${this.next++}`;
      this.issues.set(key, { fields, comments: [], transitions: [] });
      return {
        status: 201,
        body: { id: String(10_000 + this.next), key, self: `${this.url}/rest/api/3/issue/${key}` },
      };
    }
    if (req.method === 'POST' && path === '/rest/api/3/search/jql') {
      const jql = String((body as { jql?: unknown }).jql);
      const label = /labels = "([^"]+)"/.exec(jql)?.[1];
      const found = [...this.issues.entries()].filter(([, i]) =>
        (i.fields.labels as string[]).includes(label ?? ''),
      );
      return { status: 200, body: { issues: found.map(([key]) => ({ key })), isLast: true } };
    }
    const match = /^\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/(comment|transitions)$/.exec(path);
    const issue = match ? this.issues.get(match[1] as string) : undefined;
    if (req.method === 'POST' && match && issue) {
      if (match[2] === 'comment') {
        issue.comments.push((body as { body: unknown }).body);
        return { status: 201, body: { id: String(issue.comments.length) } };
      }
      issue.transitions.push((body as { transition: { id: string } }).transition.id);
      return { status: 204 };
    }
    return { status: 404, body: { errorMessages: ['Issue does not exist'] } };
  }
}

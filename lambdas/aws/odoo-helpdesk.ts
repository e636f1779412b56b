import type { OdooHelpdeskConfig } from '../../lib/config/ticketing';
import { ticketMarker, type TicketContent, type TicketUpdate } from '../core/ticketing/ticket';
import { requestJson, TicketSystemError, type HttpFetch } from './ticket-http';
import type { TicketRef, TicketSystem } from './ticket-system';

interface OdooCredentials {
  readonly login: string;
  /** The user's password or, better, an API key (Preferences > Account Security). */
  readonly password: string;
}

/**
 * Exceptions Odoo raises for a request that cannot succeed as sent (rights, a field or value the
 * model refuses): retrying will not help. Anything else (a serialization failure, the database
 * gone away) may pass on a retry.
 */
const REFUSALS = [
  'odoo.exceptions.AccessDenied',
  'odoo.exceptions.AccessError',
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.UserError',
  'odoo.exceptions.MissingError',
  'builtins.ValueError',
  'builtins.KeyError',
  'builtins.TypeError',
];

/**
 * Odoo Helpdesk over Odoo's external JSON-RPC API: `POST <url>/jsonrpc` with
 * `{"jsonrpc":"2.0","method":"call","params":{"service":...,"method":...,"args":[...]},"id":n}`.
 * `common.authenticate(db, login, password, {})` gives the uid (false when refused);
 * `object.execute_kw(db, uid, password, model, method, args, kwargs)` calls the model. Odoo answers
 * a failed call with HTTP 200 and `{"error":{"code":200,"message":"Odoo Server Error","data":
 * {"name":"odoo.exceptions...","message":...}}}` (odoo/http.py JsonRPCDispatcher.handle_error),
 * so the body, not the status, says whether it worked. `/jsonrpc` is deprecated from Odoo 19
 * (removal planned for Odoo 22; `/json/2/<model>/<method>` replaces it): docs/alerting.md.
 */
export class OdooHelpdesk implements TicketSystem {
  private uid: number | undefined;
  private nextId = 1;
  private readonly stageIds = new Map<string, number>();

  constructor(
    private readonly config: OdooHelpdeskConfig,
    private readonly credentials: () => Promise<OdooCredentials>,
    private readonly fetchImpl: HttpFetch = fetch,
  ) {}

  async find(incidentId: string): Promise<TicketRef | undefined> {
    const found = await this.execute(
      'search_read',
      [[[this.config.fields.name, 'like', ticketMarker(incidentId)]]],
      {
        fields: ['id'],
        limit: 1,
      },
    );
    if (!Array.isArray(found)) throw this.garbage('search_read', found);
    const id = (found[0] as { id?: unknown } | undefined)?.id;
    return typeof id === 'number' ? this.ref(id) : undefined;
  }

  async create(content: TicketContent): Promise<TicketRef> {
    const { fields, assignment, priorities } = this.config;
    const values: Record<string, unknown> = {
      [fields.name]: content.summary,
      [fields.description]: html(content.description),
      [fields.priority]: priorities[content.severity],
      ...(assignment.teamId ? { [fields.team]: assignment.teamId } : {}),
      ...(assignment.userId ? { [fields.user]: assignment.userId } : {}),
    };
    const created = await this.execute('create', [values]);
    // create() of one dict returns its id; of a list (Odoo 17+ batch form), a list of ids.
    const id = Array.isArray(created) ? (created[0] as unknown) : created;
    if (typeof id !== 'number') throw this.garbage('create', created);
    return this.ref(id);
  }

  async update(ticket: TicketRef, update: TicketUpdate): Promise<void> {
    const id = Number(ticket.id);
    const stage = this.config.stages[update.kind];
    if (stage !== undefined)
      await this.execute('write', [[id], { [this.config.fields.stage]: await this.stageId(stage) }]);
    // The note goes on the ticket's chatter (mail.thread, which both helpdesk models inherit).
    await this.execute('message_post', [[id]], { body: html(update.note), message_type: 'comment' });
  }

  private async stageId(stage: number | string): Promise<number> {
    if (typeof stage === 'number') return stage;
    const cached = this.stageIds.get(stage);
    if (cached !== undefined) return cached;
    const ids = await this.execute('search', [[['name', '=', stage]]], { limit: 1 }, this.config.stageModel);
    const id = Array.isArray(ids) ? (ids[0] as unknown) : undefined;
    if (typeof id !== 'number')
      throw new TicketSystemError('TicketRejected', `${this.config.stageModel}: no stage named ${stage}`);
    this.stageIds.set(stage, id);
    return id;
  }

  private async execute(
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
    model = this.config.model,
  ): Promise<unknown> {
    const { login, password } = await this.credentials();
    const uid = await this.login(login, password);
    return this.call('object', 'execute_kw', [
      this.config.database,
      uid,
      password,
      model,
      method,
      args,
      kwargs,
    ]);
  }

  private async login(login: string, password: string): Promise<number> {
    if (this.uid !== undefined) return this.uid;
    const uid = await this.call('common', 'authenticate', [this.config.database, login, password, {}]);
    if (uid === false)
      throw new TicketSystemError(
        'TicketRejected',
        `authenticate: Odoo refused ${login} on ${this.config.database}`,
        true,
      );
    if (typeof uid !== 'number') throw this.garbage('authenticate', uid);
    this.uid = uid;
    return uid;
  }

  private async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const { body } = await requestJson(this.fetchImpl, `${this.config.url}/jsonrpc`, {
      method: 'POST',
      body: { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id },
      timeoutMs: this.config.timeoutMs,
    });
    const answer = body as {
      result?: unknown;
      error?: { message?: unknown; data?: { name?: unknown; message?: unknown } };
    };
    if (typeof answer !== 'object' || answer === null || (!('result' in answer) && !('error' in answer)))
      throw this.garbage(`${service}.${method}`, body);
    if (answer.error) {
      const name = typeof answer.error.data?.name === 'string' ? answer.error.data.name : 'unknown';
      const message = String(answer.error.data?.message ?? answer.error.message ?? 'no message');
      const authentication = name === 'odoo.exceptions.AccessDenied';
      // A refused password after a successful login: the secret rotated, log in again next time.
      if (authentication) this.uid = undefined;
      throw new TicketSystemError(
        REFUSALS.includes(name) ? 'TicketRejected' : 'TicketSystemUnavailable',
        `${service}.${method}${method === 'execute_kw' ? ` ${String(args[4])}` : ''}: ${name}: ${message.slice(0, 200)}`,
        authentication,
      );
    }
    return answer.result;
  }

  private ref(id: number): TicketRef {
    return {
      id: String(id),
      url: `${this.config.url}/web#id=${id}&model=${this.config.model}&view_type=form`,
    };
  }

  private garbage(what: string, value: unknown): TicketSystemError {
    return new TicketSystemError(
      'TicketSystemUnavailable',
      `${what}: unexpected answer ${JSON.stringify(value)?.slice(0, 120) ?? 'undefined'}`,
    );
  }
}

/** Helpdesk descriptions and chatter notes are HTML fields: text escaped, lines kept. */
function html(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p>${escaped.split('\n').join('<br/>')}</p>`;
}

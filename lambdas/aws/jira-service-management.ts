import type { JiraServiceManagementConfig } from '../../lib/config/ticketing';
import type { TicketContent, TicketUpdate } from '../core/ticketing/ticket';
import { requestJson, TicketSystemError, type HttpFetch } from './ticket-http';
import type { TicketRef, TicketSystem } from './ticket-system';

interface JiraCredentials {
  readonly email: string;
  readonly apiToken: string;
}

/** Jira's summary limit. */
const SUMMARY_MAX = 255;

/**
 * Jira Service Management through Jira Cloud's REST API v3, basic auth with email and API token:
 * `POST /rest/api/3/issue` opens the ticket (priority by name, labels, assignee: absent means the
 * project's default assignee), `POST /rest/api/3/issue/{key}/comment` notes the acknowledgement
 * and the resolution, `POST /rest/api/3/issue/{key}/transitions` moves it when a transition is
 * configured. Text fields are Atlassian Document Format. The incident's label
 * (`incident-<id>`) finds a ticket again (`POST /rest/api/3/search/jql`).
 */
export class JiraServiceManagement implements TicketSystem {
  constructor(
    private readonly config: JiraServiceManagementConfig,
    private readonly credentials: () => Promise<JiraCredentials>,
    private readonly fetchImpl: HttpFetch = fetch,
  ) {}

  async find(incidentId: string): Promise<TicketRef | undefined> {
    const { body } = await this.send('POST', '/rest/api/3/search/jql', {
      jql: `project = "${this.config.projectKey}" AND labels = "${label(incidentId)}"`,
      maxResults: 1,
      fields: ['summary'],
    });
    const issues = (body as { issues?: unknown } | undefined)?.issues;
    if (!Array.isArray(issues)) throw garbage('search', body);
    const key = (issues[0] as { key?: unknown } | undefined)?.key;
    return typeof key === 'string' ? this.ref(key) : undefined;
  }

  async create(content: TicketContent): Promise<TicketRef> {
    const { projectKey, issueType, priorities, assignment, labels } = this.config;
    const { body } = await this.send('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: projectKey },
        issuetype: { name: issueType },
        summary: content.summary.slice(0, SUMMARY_MAX),
        description: adf(content.description),
        priority: { name: priorities[content.severity] },
        labels: [...labels, label(content.incidentId)],
        ...(assignment.accountId ? { assignee: { accountId: assignment.accountId } } : {}),
      },
    });
    const key = (body as { key?: unknown } | undefined)?.key;
    if (typeof key !== 'string') throw garbage('create', body);
    return this.ref(key);
  }

  async update(ticket: TicketRef, update: TicketUpdate): Promise<void> {
    await this.send('POST', `/rest/api/3/issue/${encodeURIComponent(ticket.id)}/comment`, {
      body: adf(update.note),
    });
    const transition = this.config.transitions[update.kind];
    if (transition)
      await this.send('POST', `/rest/api/3/issue/${encodeURIComponent(ticket.id)}/transitions`, {
        transition: { id: transition },
      });
  }

  private async send(method: 'POST', path: string, body: unknown) {
    const { email, apiToken } = await this.credentials();
    return requestJson(this.fetchImpl, `${this.config.url}${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}` },
      body,
      timeoutMs: this.config.timeoutMs,
    });
  }

  private ref(key: string): TicketRef {
    return { id: key, url: `${this.config.url}/browse/${key}` };
  }
}

/** The label that marks an incident's ticket (labels cannot hold spaces; ids have none). */
export function label(incidentId: string): string {
  return `incident-${incidentId}`;
}

/** Plain text as an Atlassian Document Format document: one paragraph per line. */
function adf(text: string) {
  return {
    type: 'doc',
    version: 1,
    content: text
      .split('\n')
      .map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
  };
}

function garbage(what: string, value: unknown): TicketSystemError {
  return new TicketSystemError(
    'TicketSystemUnavailable',
    `${what}: unexpected answer ${JSON.stringify(value)?.slice(0, 120) ?? 'undefined'}`,
  );
}

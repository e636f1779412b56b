import type { TicketContent, TicketUpdate } from '../core/ticketing/ticket';

/** A ticket as the ticket system knows it. */
export interface TicketRef {
  readonly id: string;
  readonly url: string;
}

/** What the ticket function needs of a ticket system; Odoo Helpdesk and Jira Service Management. */
export interface TicketSystem {
  /** The ticket already opened for the incident (found by its marker), if any. */
  find(incidentId: string): Promise<TicketRef | undefined>;
  create(content: TicketContent): Promise<TicketRef>;
  update(ticket: TicketRef, update: TicketUpdate): Promise<void>;
}

/**
 * Seed 004 "Notification Templates", with the variables in {{double braces}}. The seed gives the
 * critical forms; other severities use the same text with their own severity word. PagerDutyLink is
 * replaced by how to acknowledge here (the `ops ack` command and the execution in the console),
 * since the control plane, not PagerDuty, owns escalation.
 */
export const NOTIFICATION_TEMPLATES = {
  emailSubject: '{{SEVERITY}} Alert: {{AlertName}} on {{Host/Service}}',
  emailBody: [
    'Severity: {{SEVERITY}}',
    'Alert: {{AlertName}}',
    'Description: {{AlertDescription}}',
    'Condition: {{AlertCondition}}',
    'Timestamp: {{TimestampUTC}}',
    'Escalation level: {{Level}} ({{Audience}})',
    '',
    'Runbook: {{RunbookURL}}',
    '',
    'Please acknowledge and investigate: {{AckInstructions}}',
  ].join('\n'),
  slack: [
    ':rotating_light: *{{SEVERITY}} Alert: {{AlertName}}* :rotating_light:',
    '*Service/Host:* `{{Host/Service}}`',
    '*Description:* {{AlertDescription}}',
    '*Condition Met:* `{{AlertCondition}}`',
    '*Runbook:* <{{RunbookURL}}|View Runbook>',
    '*Acknowledge:* `{{AckInstructions}}`',
  ].join('\n'),
  sms: '{{SEVERITY}}: {{AlertName}} on {{Host/Service}}. Ack: {{AckShort}}',
  resolvedSubject: 'RESOLVED: {{AlertName}} on {{Host/Service}}',
  resolvedBody: 'Resolved: {{AlertName}} on {{Host/Service}} at {{TimestampUTC}} (incident {{IncidentId}}).',
} as const;

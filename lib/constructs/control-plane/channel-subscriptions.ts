import { SecretValue, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ChannelId, EnvironmentConfig } from '../../config';

/**
 * Who receives each channel topic (seed 004 "Channel Configuration"): email and SMS subscriptions
 * from config, Slack through AWS Chatbot, PagerDuty through an HTTPS subscription whose endpoint is
 * a Secrets Manager dynamic reference, resolved by CloudFormation at deploy time, never in code or
 * in the template. Escalation levels are a message attribute (`level`) a subscription may filter on.
 */
export class ChannelSubscriptions extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { alerts: EnvironmentConfig['alerts']; topics: Readonly<Record<ChannelId, sns.Topic>> },
  ) {
    super(scope, id);
    const { alerts, topics } = props;
    for (const address of alerts.emails)
      topics.email.addSubscription(new subscriptions.EmailSubscription(address));
    for (const address of alerts.securityEmails)
      topics['email-security'].addSubscription(new subscriptions.EmailSubscription(address));
    for (const number of alerts.smsNumbers)
      topics.sms.addSubscription(new subscriptions.SmsSubscription(number));

    const pagerDuty: Array<[ChannelId, string | undefined]> = [
      ['pagerduty', alerts.pagerDutyEndpointSecretName],
      ['pagerduty-security', alerts.pagerDutySecurityEndpointSecretName],
    ];
    for (const [channel, secretName] of pagerDuty) {
      if (!secretName) continue;
      const endpoint = SecretValue.secretsManager(secretName).unsafeUnwrap();
      topics[channel].addSubscription(
        new subscriptions.UrlSubscription(endpoint, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }

    if (alerts.slack) {
      const role = new iam.Role(this, 'ChatbotRole', {
        assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
        description: 'AWS Chatbot: post InfluenceGen notifications to Slack (no AWS actions from Slack)',
      });
      const slack: Array<[string, ChannelId, string]> = [
        ['Slack', 'slack', alerts.slack.channelId],
        ['SlackSecurity', 'slack-security', alerts.slack.securityChannelId ?? alerts.slack.channelId],
      ];
      for (const [name, channel, channelId] of slack) {
        new chatbot.SlackChannelConfiguration(this, name, {
          slackChannelConfigurationName: `${name}-${channelId}`,
          slackWorkspaceId: alerts.slack.workspaceId,
          slackChannelId: channelId,
          notificationTopics: [topics[channel]],
          role,
          guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
        });
      }
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]',
        reason: 'Chatbot guardrail only: the role itself has no policy, so Slack users can run nothing.',
      });
    }
  }
}

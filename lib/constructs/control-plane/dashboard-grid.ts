import { Duration } from 'aws-cdk-lib';
import { CONTROL_PLANE_HEARTBEAT } from '../../config/constants';

/** The dashboards' grid (24 units wide) and the periods their graphs share. */
export const GRID = { full: 24, half: 12, third: 8, quarter: 6 } as const;

export const MINUTE = Duration.minutes(1);
export const FIVE_MINUTES = Duration.minutes(5);
export const HOUR = Duration.hours(1);

/**
 * The period over which the watcher's alarms count a control-plane function's errors and throttles
 * and a workflow's failures and time-outs (ControlPlaneWatch): drawn at it, any point above zero is
 * one of those alarms firing.
 */
export const WATCHER_PERIOD = Duration.minutes(CONTROL_PLANE_HEARTBEAT.everyMinutes);

/**
 * The latency the dashboards draw (ALB response time, function duration): the issue asks for p99,
 * the tail beyond the seeds' p95 alarms, beside the slowest where a graph shows both.
 */
export const TAIL_PERCENTILE = 'p99';

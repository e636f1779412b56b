import { Duration } from 'aws-cdk-lib';

/** The dashboards' grid (24 units wide) and the periods their graphs share. */
export const GRID = { full: 24, half: 12, third: 8, quarter: 6 } as const;

export const MINUTE = Duration.minutes(1);
export const FIVE_MINUTES = Duration.minutes(5);
export const HOUR = Duration.hours(1);

/** How many Logs Insights rows a newest-errors table shows. */
export const NEWEST_ERRORS_LIMIT = 20;

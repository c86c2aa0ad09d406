/** validateProfile() compares the log retention with INFINITE (CloudFormation's "never expire"). */
export const RetentionDays = { INFINITE: 9999 } as const;

/**
 * Notification thresholds of the monthly budget, in percent of its limit, on actual spend:
 * 80 % leaves days to react before the month ends over budget; 100 % says it happened.
 */
export function budgetActualThresholdsPercent(): number[] {
  return [80, 100];
}

/**
 * Thresholds on forecasted spend: AWS Budgets forecasts the month's end, so 100 % warns early in
 * the month that the trend will break the budget, while there is still time to act.
 */
export function budgetForecastThresholdsPercent(): number[] {
  return [100];
}

/**
 * Most subscribers one budget notification accepts: one SNS topic and ten e-mail addresses
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_NotificationWithSubscribers.html).
 */
export const BUDGET_MAX_EMAIL_SUBSCRIBERS = 10;

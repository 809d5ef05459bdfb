/** Shared request bodies for activity tests. */
export function newActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: 'Planning',
    start: '2026-03-10T09:00:00+02:00',
    end: '2026-03-10T10:00:00+02:00',
    timeZone: 'Europe/Helsinki',
    typeId: 'typ_meeting',
    ...overrides,
  };
}

let counter = 0;
/** A fresh Idempotency-Key header. */
export const idem = (): { headers: Record<string, string> } => ({
  headers: { 'idempotency-key': `test-${Date.now()}-${counter++}` },
});

export const ANNA_VISIBLE = [
  'act_call_tailspin',
  'act_cancelled_lunch',
  'act_daily_standup',
  'act_dentist',
  'act_done_offer',
  'act_month_end_report',
  'act_monthly_steering',
  'act_trade_fair',
  'act_visit_northwind',
  'act_weekly_team',
  'act_workshop',
];

// The JSON shapes the CLI reads from the API (snake_case, as the presenters render them).
// Only the fields the CLI shows are typed; `--json` prints the server's body unchanged.

export interface ActionJson {
  id: number;
  action_class_name: string;
  order: number;
  [param: string]: unknown;
}

export interface TaskJson {
  id: number;
  name: string;
  memo: string | null;
  schedule_method: string;
  schedule_when: string;
  timezone: string | null;
  enabled: boolean;
  state: string;
  overlap: string | null;
  misfire: string | null;
  timeout_ms: number | null;
  retries: number | null;
  created_on: string;
  updated_on: string;
  last_triggered: string | null;
  last_triggered_error: { type: string; message: string } | null;
  next_trigger_at: string | null;
  actions: ActionJson[];
}

export interface ResultJson {
  order: number;
  action_class_name: string;
  status: string;
  exit_code: number | null;
  http_status: number | null;
  error: string | null;
  output: string;
  output_truncated: boolean;
}

export interface RunJson {
  id: number;
  task_id: number;
  scheduled_for: string;
  trigger: string;
  attempt: number;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  node: string | null;
  results: ResultJson[];
}

export interface LogEntryJson {
  id: number;
  timestamp: string;
  level: string;
  task_id: number | null;
  run_id: number | null;
  data: string;
}

export const FINAL_RUN_STATUSES = [
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
  'missed',
  'interrupted',
];

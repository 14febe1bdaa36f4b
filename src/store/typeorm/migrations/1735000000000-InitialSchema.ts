// The initial Taskr schema. Schema changes only ever happen through migrations
// (synchronize is always off). SQL differs per backend only in column types:
// instants are integer ms on SQLite and timestamptz(3) on PostgreSQL.
import type { MigrationInterface, QueryRunner } from 'typeorm';

interface Types {
  pk: string;
  instant: string;
  bool: string;
  boolTrue: string;
}

function typesFor(queryRunner: QueryRunner): Types {
  return queryRunner.connection.driver.options.type === 'postgres'
    ? { pk: 'SERIAL PRIMARY KEY', instant: 'timestamptz(3)', bool: 'boolean', boolTrue: 'true' }
    : {
        pk: 'integer PRIMARY KEY AUTOINCREMENT NOT NULL',
        instant: 'integer',
        bool: 'boolean',
        boolTrue: '1',
      };
}

function statements(t: Types): string[] {
  return [
    `CREATE TABLE "tasks" (
      "id" ${t.pk},
      "name" varchar NOT NULL,
      "memo" text,
      "schedule_method" varchar(16) NOT NULL,
      "schedule_when" text NOT NULL,
      "timezone" varchar(64),
      "enabled" ${t.bool} NOT NULL DEFAULT ${t.boolTrue},
      "overlap" varchar(16),
      "misfire" varchar(16),
      "timeout_ms" bigint,
      "retries" integer,
      "retry_backoff_ms" bigint,
      "created_on" ${t.instant} NOT NULL,
      "created_by" varchar,
      "updated_on" ${t.instant} NOT NULL,
      "last_triggered" ${t.instant},
      "last_triggered_error_type" varchar,
      "last_triggered_error_message" text,
      "next_trigger_at" ${t.instant},
      CONSTRAINT "UQ_tasks_name" UNIQUE ("name")
    )`,
    `CREATE TABLE "task_actions" (
      "id" ${t.pk},
      "task_id" integer NOT NULL,
      "action_order" integer NOT NULL,
      "action_class_name" varchar NOT NULL,
      "parameters" text NOT NULL,
      CONSTRAINT "FK_task_actions_task" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
    )`,
    `CREATE INDEX "IDX_task_actions_task_order" ON "task_actions" ("task_id", "action_order")`,
    `CREATE TABLE "runs" (
      "id" ${t.pk},
      "task_id" integer NOT NULL,
      "scheduled_for" ${t.instant} NOT NULL,
      "attempt" integer NOT NULL,
      "trigger_type" varchar(16) NOT NULL,
      "status" varchar(16) NOT NULL,
      "run_at" ${t.instant} NOT NULL,
      "started_at" ${t.instant},
      "finished_at" ${t.instant},
      "duration_ms" bigint,
      "error" text,
      "missed_count" integer,
      "node" varchar,
      "results" text NOT NULL DEFAULT '[]',
      CONSTRAINT "FK_runs_task" FOREIGN KEY ("task_id") REFERENCES "tasks" ("id") ON DELETE CASCADE
    )`,
    // The claim key: two schedulers inserting the same occurrence can never both succeed.
    `CREATE UNIQUE INDEX "UQ_runs_claim_key" ON "runs" ("task_id", "scheduled_for", "attempt")`,
    `CREATE INDEX "IDX_runs_status" ON "runs" ("status")`,
    `CREATE INDEX "IDX_runs_task_id" ON "runs" ("task_id", "id")`,
    // No foreign keys on log entries: a log line about a task deleted a moment ago must
    // never fail. Deleting a task deletes its log entries explicitly.
    `CREATE TABLE "log_entries" (
      "id" ${t.pk},
      "timestamp" ${t.instant} NOT NULL,
      "level" varchar(8) NOT NULL,
      "task_id" integer,
      "action_id" integer,
      "run_id" integer,
      "data" text NOT NULL
    )`,
    `CREATE INDEX "IDX_log_entries_task_id" ON "log_entries" ("task_id", "id")`,
    `CREATE INDEX "IDX_log_entries_run_id" ON "log_entries" ("run_id", "id")`,
    `CREATE INDEX "IDX_log_entries_timestamp" ON "log_entries" ("timestamp")`,
  ];
}

export class InitialSchema1735000000000 implements MigrationInterface {
  name = 'InitialSchema1735000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of statements(typesFor(queryRunner))) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['log_entries', 'runs', 'task_actions', 'tasks']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}

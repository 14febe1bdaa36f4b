// Cluster mode: the nodes table (membership and heartbeats) and an index on
// tasks.updated_on for the polling fallback of cross-node change events.
import type { MigrationInterface, QueryRunner } from 'typeorm';

function instantType(queryRunner: QueryRunner): string {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz(3)' : 'integer';
}

export class ClusterNodes1736000000000 implements MigrationInterface {
  name = 'ClusterNodes1736000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    await queryRunner.query(`CREATE TABLE "nodes" (
      "name" varchar NOT NULL PRIMARY KEY,
      "started_at" ${instant} NOT NULL,
      "last_heartbeat" ${instant} NOT NULL,
      "runs_in_progress" integer NOT NULL DEFAULT 0,
      "version" varchar NOT NULL,
      "address" varchar,
      "status" varchar(16) NOT NULL,
      "clock_skew_ms" integer
    )`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_updated_on" ON "tasks" ("updated_on")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_tasks_updated_on"`);
    await queryRunner.query(`DROP TABLE "nodes"`);
  }
}

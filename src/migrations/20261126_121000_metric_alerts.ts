import { type MigrateDownArgs, type MigrateUpArgs, sql } from '@payloadcms/db-postgres'

/**
 * Hand-written (not generated): the ledger of complaint and bounce rate alerts behind
 * checkMetricAlerts. One row per org, channel, kind and UTC day: the unique index is the claim that
 * makes a second (or concurrent) run a no-op. Not a Payload collection, so no API exposes it.
 * The checkMetricAlerts task's value in Payload's task enums comes from the generated migration 20261126_*_metrics_tasks.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE IF NOT EXISTS "metric_alerts" (
    "id" serial PRIMARY KEY,
    "org_id" integer NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "channel" varchar NOT NULL DEFAULT 'email',
    "kind" varchar NOT NULL CHECK ("kind" IN ('complaint_rate', 'bounce_rate')),
    "day" date NOT NULL,
    "rate" double precision NOT NULL,
    "threshold" double precision NOT NULL,
    "numerator" integer NOT NULL,
    "denominator" integer NOT NULL,
    "window_start" timestamp(3) with time zone NOT NULL,
    "window_end" timestamp(3) with time zone NOT NULL,
    "raised_at" timestamp(3) with time zone NOT NULL DEFAULT now(),
    "emailed_at" timestamp(3) with time zone,
    "email_error" varchar
  );
  CREATE UNIQUE INDEX IF NOT EXISTS "metric_alerts_org_channel_kind_day_idx" ON "metric_alerts" USING btree ("org_id", "channel", "kind", "day");
  CREATE INDEX IF NOT EXISTS "metric_alerts_raised_at_idx" ON "metric_alerts" USING btree ("raised_at");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE IF EXISTS "metric_alerts";`)
}

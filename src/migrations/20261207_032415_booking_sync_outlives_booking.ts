import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

// A calendar row outlives its deleted booking until the booking's event has left that calendar.
export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "booking_syncs" ALTER COLUMN "booking_id" DROP NOT NULL;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DELETE FROM "booking_syncs" WHERE "booking_id" IS NULL;
   ALTER TABLE "booking_syncs" ALTER COLUMN "booking_id" SET NOT NULL;`)
}

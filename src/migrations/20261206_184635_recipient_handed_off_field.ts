import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

// The column has existed since 20261206_072238_engine_hand_off (written by the engine's own SQL); this
// migration only brings it into Payload's schema as the read-only field `handedOffAt`, so the admin can
// ask which claimed messages a worker really handed to the provider.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "email_recipients" ADD COLUMN IF NOT EXISTS "handed_off_at" timestamp(3) with time zone;`)
}

// The column stays: 20261206_072238_engine_hand_off's down removes it.
export async function down(_args: MigrateDownArgs): Promise<void> {}

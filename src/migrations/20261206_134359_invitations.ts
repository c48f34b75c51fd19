import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_users_invitation_status" AS ENUM('pending', 'accepted', 'revoked');
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'user.invite' BEFORE 'settings.change';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'user.invitation_resend' BEFORE 'settings.change';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'user.invitation_revoke' BEFORE 'settings.change';
  ALTER TYPE "public"."enum_audit_logs_action" ADD VALUE 'user.invitation_accept' BEFORE 'settings.change';
  ALTER TABLE "users" ADD COLUMN "invitation_status" "enum_users_invitation_status";
  ALTER TABLE "users" ADD COLUMN "invitation_invited_at" timestamp(3) with time zone;
  ALTER TABLE "users" ADD COLUMN "invitation_expires_at" timestamp(3) with time zone;
  ALTER TABLE "users" ADD COLUMN "invitation_accepted_at" timestamp(3) with time zone;
  ALTER TABLE "users" ADD COLUMN "invitation_invited_by_id" integer;
  ALTER TABLE "users" ADD CONSTRAINT "users_invitation_invited_by_id_users_id_fk" FOREIGN KEY ("invitation_invited_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
  CREATE INDEX "users_invitation_invitation_invited_by_idx" ON "users" USING btree ("invitation_invited_by_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "users" DROP CONSTRAINT "users_invitation_invited_by_id_users_id_fk";
  
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE text;
  DROP TYPE "public"."enum_audit_logs_action";
  CREATE TYPE "public"."enum_audit_logs_action" AS ENUM('template.submit', 'template.approve', 'template.reject', 'template.reset_to_draft', 'template.test_send', 'template.default_seeded', 'role.change', 'user.unlock', 'settings.change', 'job.queue', 'job.cancel', 'job.pause', 'job.auto_pause', 'job.resume', 'job.resend_unknown', 'job.retry_failed', 'job.complete', 'suppression.create', 'suppression.lift', 'suppression.confirm', 'suppression.dismiss', 'import.start', 'import.stop', 'import.resume', 'import.complete', 'import.fail', 'export.create', 'inbound.link');
  ALTER TABLE "audit_logs" ALTER COLUMN "action" SET DATA TYPE "public"."enum_audit_logs_action" USING "action"::"public"."enum_audit_logs_action";
  DROP INDEX "users_invitation_invitation_invited_by_idx";
  ALTER TABLE "users" DROP COLUMN "invitation_status";
  ALTER TABLE "users" DROP COLUMN "invitation_invited_at";
  ALTER TABLE "users" DROP COLUMN "invitation_expires_at";
  ALTER TABLE "users" DROP COLUMN "invitation_accepted_at";
  ALTER TABLE "users" DROP COLUMN "invitation_invited_by_id";
  DROP TYPE "public"."enum_users_invitation_status";`)
}

import * as migration_20261126_000344_initial from './20261126_000344_initial';
import * as migration_20261126_013605_templates_audit from './20261126_013605_templates_audit';
import * as migration_20261126_014702_org_sending_settings from './20261126_014702_org_sending_settings';
import * as migration_20261126_014837_suppressions from './20261126_014837_suppressions';
import * as migration_20261126_015055_email_jobs from './20261126_015055_email_jobs';
import * as migration_20261126_015418_secret_inputs from './20261126_015418_secret_inputs';
import * as migration_20261126_015821_jobs_queue from './20261126_015821_jobs_queue';
import * as migration_20261126_021000_send_rate_slots from './20261126_021000_send_rate_slots';
import * as migration_20261126_032505_send_pipeline from './20261126_032505_send_pipeline';
import * as migration_20261126_062800_webhook_events from './20261126_062800_webhook_events';
import * as migration_20261126_065820_job_retry_failed from './20261126_065820_job_retry_failed';
import * as migration_20261126_113427_metrics_tasks from './20261126_113427_metrics_tasks';
import * as migration_20261126_120000_metrics_rollups from './20261126_120000_metrics_rollups';
import * as migration_20261126_121000_metric_alerts from './20261126_121000_metric_alerts';
import * as migration_20261206_003325_security_hardening from './20261206_003325_security_hardening';
import * as migration_20261206_021231_lists_at_scale from './20261206_021231_lists_at_scale';
import * as migration_20261206_023705_audiences from './20261206_023705_audiences';
import * as migration_20261206_030638_imports from './20261206_030638_imports';
import * as migration_20261206_031532_exports from './20261206_031532_exports';
import * as migration_20261206_050000_worker_heartbeats from './20261206_050000_worker_heartbeats';
import * as migration_20261206_072238_engine_hand_off from './20261206_072238_engine_hand_off';
import * as migration_20261206_090411_sms_settings from './20261206_090411_sms_settings';
import * as migration_20261206_103034_sms_jobs from './20261206_103034_sms_jobs';
import * as migration_20261206_110403_inbox from './20261206_110403_inbox';
import * as migration_20261206_113330_inbox_attachments from './20261206_113330_inbox_attachments';
import * as migration_20261206_132951_reply_claims from './20261206_132951_reply_claims';
import * as migration_20261206_134359_invitations from './20261206_134359_invitations';
import * as migration_20261206_135541_date_settings from './20261206_135541_date_settings';
import * as migration_20261206_184635_recipient_handed_off_field from './20261206_184635_recipient_handed_off_field';
import * as migration_20261206_202734_kb_articles_and_assistant_logs from './20261206_202734_kb_articles_and_assistant_logs';
import * as migration_20261206_205143_assistant_log_retention_task from './20261206_205143_assistant_log_retention_task';
import * as migration_20261206_211110_embed_kb_chunks_task from './20261206_211110_embed_kb_chunks_task';
import * as migration_20261206_213142_bookings from './20261206_213142_bookings';
import * as migration_20261206_235157_booking_invitations from './20261206_235157_booking_invitations';
import * as migration_20261206_235943_bookings_org_end from './20261206_235943_bookings_org_end';
import * as migration_20261207_001525_calendar_connections from './20261207_001525_calendar_connections';
import * as migration_20261207_032415_booking_sync_outlives_booking from './20261207_032415_booking_sync_outlives_booking';

export const migrations = [
  {
    up: migration_20261126_000344_initial.up,
    down: migration_20261126_000344_initial.down,
    name: '20261126_000344_initial',
  },
  {
    up: migration_20261126_013605_templates_audit.up,
    down: migration_20261126_013605_templates_audit.down,
    name: '20261126_013605_templates_audit',
  },
  {
    up: migration_20261126_014702_org_sending_settings.up,
    down: migration_20261126_014702_org_sending_settings.down,
    name: '20261126_014702_org_sending_settings',
  },
  {
    up: migration_20261126_014837_suppressions.up,
    down: migration_20261126_014837_suppressions.down,
    name: '20261126_014837_suppressions',
  },
  {
    up: migration_20261126_015055_email_jobs.up,
    down: migration_20261126_015055_email_jobs.down,
    name: '20261126_015055_email_jobs',
  },
  {
    up: migration_20261126_015418_secret_inputs.up,
    down: migration_20261126_015418_secret_inputs.down,
    name: '20261126_015418_secret_inputs',
  },
  {
    up: migration_20261126_015821_jobs_queue.up,
    down: migration_20261126_015821_jobs_queue.down,
    name: '20261126_015821_jobs_queue',
  },
  {
    up: migration_20261126_021000_send_rate_slots.up,
    down: migration_20261126_021000_send_rate_slots.down,
    name: '20261126_021000_send_rate_slots',
  },
  {
    up: migration_20261126_032505_send_pipeline.up,
    down: migration_20261126_032505_send_pipeline.down,
    name: '20261126_032505_send_pipeline',
  },
  {
    up: migration_20261126_062800_webhook_events.up,
    down: migration_20261126_062800_webhook_events.down,
    name: '20261126_062800_webhook_events',
  },
  {
    up: migration_20261126_065820_job_retry_failed.up,
    down: migration_20261126_065820_job_retry_failed.down,
    name: '20261126_065820_job_retry_failed',
  },
  {
    up: migration_20261126_113427_metrics_tasks.up,
    down: migration_20261126_113427_metrics_tasks.down,
    name: '20261126_113427_metrics_tasks',
  },
  {
    up: migration_20261126_120000_metrics_rollups.up,
    down: migration_20261126_120000_metrics_rollups.down,
    name: '20261126_120000_metrics_rollups',
  },
  {
    up: migration_20261126_121000_metric_alerts.up,
    down: migration_20261126_121000_metric_alerts.down,
    name: '20261126_121000_metric_alerts',
  },
  {
    up: migration_20261206_003325_security_hardening.up,
    down: migration_20261206_003325_security_hardening.down,
    name: '20261206_003325_security_hardening',
  },
  {
    up: migration_20261206_021231_lists_at_scale.up,
    down: migration_20261206_021231_lists_at_scale.down,
    name: '20261206_021231_lists_at_scale',
  },
  {
    up: migration_20261206_023705_audiences.up,
    down: migration_20261206_023705_audiences.down,
    name: '20261206_023705_audiences',
  },
  {
    up: migration_20261206_030638_imports.up,
    down: migration_20261206_030638_imports.down,
    name: '20261206_030638_imports',
  },
  {
    up: migration_20261206_031532_exports.up,
    down: migration_20261206_031532_exports.down,
    name: '20261206_031532_exports',
  },
  {
    up: migration_20261206_050000_worker_heartbeats.up,
    down: migration_20261206_050000_worker_heartbeats.down,
    name: '20261206_050000_worker_heartbeats',
  },
  {
    up: migration_20261206_072238_engine_hand_off.up,
    down: migration_20261206_072238_engine_hand_off.down,
    name: '20261206_072238_engine_hand_off',
  },
  {
    up: migration_20261206_090411_sms_settings.up,
    down: migration_20261206_090411_sms_settings.down,
    name: '20261206_090411_sms_settings',
  },
  {
    up: migration_20261206_103034_sms_jobs.up,
    down: migration_20261206_103034_sms_jobs.down,
    name: '20261206_103034_sms_jobs',
  },
  {
    up: migration_20261206_110403_inbox.up,
    down: migration_20261206_110403_inbox.down,
    name: '20261206_110403_inbox',
  },
  {
    up: migration_20261206_113330_inbox_attachments.up,
    down: migration_20261206_113330_inbox_attachments.down,
    name: '20261206_113330_inbox_attachments',
  },
  {
    up: migration_20261206_132951_reply_claims.up,
    down: migration_20261206_132951_reply_claims.down,
    name: '20261206_132951_reply_claims',
  },
  {
    up: migration_20261206_134359_invitations.up,
    down: migration_20261206_134359_invitations.down,
    name: '20261206_134359_invitations',
  },
  {
    up: migration_20261206_135541_date_settings.up,
    down: migration_20261206_135541_date_settings.down,
    name: '20261206_135541_date_settings',
  },
  {
    up: migration_20261206_184635_recipient_handed_off_field.up,
    down: migration_20261206_184635_recipient_handed_off_field.down,
    name: '20261206_184635_recipient_handed_off_field',
  },
  {
    up: migration_20261206_202734_kb_articles_and_assistant_logs.up,
    down: migration_20261206_202734_kb_articles_and_assistant_logs.down,
    name: '20261206_202734_kb_articles_and_assistant_logs',
  },
  {
    up: migration_20261206_205143_assistant_log_retention_task.up,
    down: migration_20261206_205143_assistant_log_retention_task.down,
    name: '20261206_205143_assistant_log_retention_task',
  },
  {
    up: migration_20261206_211110_embed_kb_chunks_task.up,
    down: migration_20261206_211110_embed_kb_chunks_task.down,
    name: '20261206_211110_embed_kb_chunks_task',
  },
  {
    up: migration_20261206_213142_bookings.up,
    down: migration_20261206_213142_bookings.down,
    name: '20261206_213142_bookings',
  },
  {
    up: migration_20261206_235157_booking_invitations.up,
    down: migration_20261206_235157_booking_invitations.down,
    name: '20261206_235157_booking_invitations',
  },
  {
    up: migration_20261206_235943_bookings_org_end.up,
    down: migration_20261206_235943_bookings_org_end.down,
    name: '20261206_235943_bookings_org_end',
  },
  {
    up: migration_20261207_001525_calendar_connections.up,
    down: migration_20261207_001525_calendar_connections.down,
    name: '20261207_001525_calendar_connections',
  },
  {
    up: migration_20261207_032415_booking_sync_outlives_booking.up,
    down: migration_20261207_032415_booking_sync_outlives_booking.down,
    name: '20261207_032415_booking_sync_outlives_booking'
  },
];

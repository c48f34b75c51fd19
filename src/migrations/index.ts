import * as migration_20261126_000344_initial from './20261126_000344_initial';
import * as migration_20261126_013605_templates_audit from './20261126_013605_templates_audit';

export const migrations = [
  {
    up: migration_20261126_000344_initial.up,
    down: migration_20261126_000344_initial.down,
    name: '20261126_000344_initial',
  },
  {
    up: migration_20261126_013605_templates_audit.up,
    down: migration_20261126_013605_templates_audit.down,
    name: '20261126_013605_templates_audit'
  },
];

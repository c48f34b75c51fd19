import * as migration_20261126_000344_initial from './20261126_000344_initial';

export const migrations = [
  {
    up: migration_20261126_000344_initial.up,
    down: migration_20261126_000344_initial.down,
    name: '20261126_000344_initial'
  },
];

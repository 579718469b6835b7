import type { MigrationScript } from '../dal/types';

/** Migrations of DevLake's domain layer tables (filled in by the domain layer work). */
export const domainMigrations: MigrationScript[] = [];

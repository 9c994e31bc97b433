import type { Config } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import type { Clock } from './clock.ts';
import type { Role } from './policy.ts';

/** Everything a service needs from the outside world. Built once at start; tests build their own. */
export type AppContext = {
  database: Database;
  db: Db;
  clock: Clock;
  config: Config;
};

/** Who is acting. Service functions take one object that names the actor (STYLE.md habit 3). */
export type Actor = {
  kind: 'user' | 'system';
  accountId: string | null;
  personId: string | null;
  /** The actor's name at the time, kept on history even after they leave (L6). */
  label: string;
  roles: Role[];
  /** Set when acting for someone else (delegation, later issues). */
  onBehalfOfPersonId?: string | null;
  via: 'web' | 'api-token' | 'cli' | 'job' | 'import';
  ip?: string | null;
};

export const systemActor = (label = 'Steward', via: Actor['via'] = 'cli'): Actor => ({
  kind: 'system',
  accountId: null,
  personId: null,
  label,
  roles: ['administrator'],
  via,
});

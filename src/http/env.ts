// What every request carries: its id, and the database driver built for it by the entry point.
import type { Driver } from '../store/driver.js';

export interface AppEnv {
  Variables: { driver: Driver; requestId: string };
}

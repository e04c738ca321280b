import type { Role } from '@tradewire/contract';

/** Who is asking: what every service call is scoped by. */
export interface Caller {
  userId: number;
  role: Role;
}

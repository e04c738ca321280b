import { z } from 'zod';

/** Event types a user may be told about by sound or desktop notification. */
export const NOTIFY_EVENT_TYPES = ['trade', 'status', 'session_complete', 'complete', 'error'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENT_TYPES)[number];

export const NOTIFY_CHANNELS = ['sound', 'desktop'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

const flag = z.boolean({ error: 'must be true or false' }).default(false);

/** One switch per event type; every one off unless the user turns it on. */
export const NotifyByType = z.strictObject(
  Object.fromEntries(NOTIFY_EVENT_TYPES.map((t) => [t, flag])) as Record<NotifyEventType, typeof flag>,
);
export type NotifyByType = z.infer<typeof NotifyByType>;

/** A user's settings, stored on the server; a missing field takes its default. */
export const UserSettings = z.strictObject({
  notifications: z
    .strictObject({
      sound: NotifyByType.prefault({}),
      desktop: NotifyByType.prefault({}),
    })
    .prefault({}),
});
export type UserSettings = z.infer<typeof UserSettings>;

export const DEFAULT_SETTINGS: UserSettings = UserSettings.parse({});

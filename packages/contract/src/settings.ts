import { z } from 'zod';

/** Event types a user may be told about by sound or desktop notification. */
export const NOTIFY_EVENT_TYPES = ['trade', 'status', 'session_complete', 'complete', 'error'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENT_TYPES)[number];

/** In-app toasts first: on by default, unlike sound and desktop notifications. */
export const NOTIFY_CHANNELS = ['toast', 'sound', 'desktop'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

const flag = z.boolean({ error: 'must be true or false' }).default(false);

/** One switch per event type; every one off unless the user turns it on. */
export const NotifyByType = z.strictObject(
  Object.fromEntries(NOTIFY_EVENT_TYPES.map((t) => [t, flag])) as Record<NotifyEventType, typeof flag>,
);
export type NotifyByType = z.infer<typeof NotifyByType>;

const on = z.boolean({ error: 'must be true or false' }).default(true);
/** In-app toasts per event type: every one on unless the user turns it off. */
export const ToastByType = z.strictObject(
  Object.fromEntries(NOTIFY_EVENT_TYPES.map((t) => [t, on])) as Record<NotifyEventType, typeof on>,
);

/** The event types that raise an in-app toast at all (the others live in the feed only). */
export const TOAST_EVENT_TYPES = ['trade', 'complete', 'error'] as const satisfies readonly NotifyEventType[];

/** A user's settings, stored on the server; a missing field takes its default. */
export const UserSettings = z.strictObject({
  notifications: z
    .strictObject({
      toast: ToastByType.prefault({}),
      sound: NotifyByType.prefault({}),
      desktop: NotifyByType.prefault({}),
    })
    .prefault({}),
});
export type UserSettings = z.infer<typeof UserSettings>;

export const DEFAULT_SETTINGS: UserSettings = UserSettings.parse({});

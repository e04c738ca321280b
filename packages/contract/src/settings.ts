import type { z } from 'zod';
import * as zm from 'zod/mini';

/** Event types a user may be told about by sound or desktop notification. */
export const NOTIFY_EVENT_TYPES = ['trade', 'status', 'session_complete', 'complete', 'error'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENT_TYPES)[number];

/** In-app toasts first: on by default, unlike sound and desktop notifications. */
export const NOTIFY_CHANNELS = ['toast', 'sound', 'desktop'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

// Built with zod/mini: every page reads the defaults (see the records in trading.ts).
const flag = zm._default(zm.boolean({ error: 'must be true or false' }), false);

/** One switch per event type; every one off unless the user turns it on. */
export const NotifyByType = zm.strictObject(
  Object.fromEntries(NOTIFY_EVENT_TYPES.map((t) => [t, flag])) as Record<NotifyEventType, typeof flag>,
);
export type NotifyByType = z.infer<typeof NotifyByType>;

const on = zm._default(zm.boolean({ error: 'must be true or false' }), true);
/** In-app toasts per event type: every one on unless the user turns it off. */
export const ToastByType = zm.strictObject(
  Object.fromEntries(NOTIFY_EVENT_TYPES.map((t) => [t, on])) as Record<NotifyEventType, typeof on>,
);

/** The event types that raise an in-app toast at all (the others live in the feed only). */
export const TOAST_EVENT_TYPES = ['trade', 'complete', 'error'] as const satisfies readonly NotifyEventType[];

/** A user's settings, stored on the server; a missing field takes its default. */
export const UserSettings = zm.strictObject({
  notifications: zm.prefault(
    zm.strictObject({
      toast: zm.prefault(ToastByType, {}),
      sound: zm.prefault(NotifyByType, {}),
      desktop: zm.prefault(NotifyByType, {}),
    }),
    {},
  ),
});
export type UserSettings = z.infer<typeof UserSettings>;

export const DEFAULT_SETTINGS: UserSettings = UserSettings.parse({});

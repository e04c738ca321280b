import { useState } from 'react';
import { Bell } from 'lucide-react';
import { NOTIFY_CHANNELS, NOTIFY_EVENT_TYPES, TOAST_EVENT_TYPES, type NotifyChannel, type NotifyEventType, type UserSettings } from '@tradewire/contract';
import { errorMessage } from '../api/client';
import { AssistantSettings } from '../components/assistant/AssistantSettings';
import { ErrorState, PageHeader } from '../components/states';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Skeleton } from '../components/ui/skeleton';
import { desktopSupported } from '../notify/browser';
import { useSaveSettings, useSettings } from '../notify/settings-api';

const TYPE_LABELS: Record<NotifyEventType, string> = {
  trade: 'Trades',
  status: 'Status changes',
  session_complete: 'Session finished',
  complete: 'Run completed',
  error: 'Errors',
};
const CHANNEL_LABELS: Record<NotifyChannel, string> = { toast: 'In-app', sound: 'Sound', desktop: 'Desktop' };
/** Whether a channel has anything to say for a type: only trades, run ends and errors raise a toast. */
const applies = (channel: NotifyChannel, type: NotifyEventType) => channel !== 'toast' || (TOAST_EVENT_TYPES as readonly string[]).includes(type);

type Permission = NotificationPermission | 'unsupported';
const currentPermission = (): Permission => (desktopSupported() ? Notification.permission : 'unsupported');

export function SettingsPage() {
  const { data: settings, isLoading, error } = useSettings();
  const save = useSaveSettings();
  const [permission, setPermission] = useState<Permission>(currentPermission);

  const toggle = (s: UserSettings, channel: NotifyChannel, type: NotifyEventType) => {
    const n = s.notifications;
    save.mutate({ notifications: { ...n, [channel]: { ...n[channel], [type]: !n[channel][type] } } });
  };
  // Browsers ask for permission only from a user's click, so the request waits for this button.
  const enableDesktop = async () => setPermission(await Notification.requestPermission());

  return (
    <div className="mx-auto grid max-w-2xl gap-6">
      <PageHeader title="Settings" />
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <Bell className="size-4" />
            Notifications
          </CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="desktop-permission">
            {permission === 'granted' && <span className="text-muted-foreground">Desktop notifications are allowed in this browser.</span>}
            {permission === 'denied' && (
              <span className="text-muted-foreground">This browser blocks desktop notifications for Tradewire; allow them in its site settings.</span>
            )}
            {permission === 'unsupported' && <span className="text-muted-foreground">This browser has no desktop notifications.</span>}
            {permission === 'default' && (
              <Button size="sm" variant="outline" onClick={() => void enableDesktop()} data-testid="enable-desktop">
                Enable desktop notifications
              </Button>
            )}
          </div>
          {error && <ErrorState error={error} title="Could not load settings" />}
          {isLoading && <Skeleton className="h-48" />}
          {settings && (
            <table className="w-full text-sm" data-testid="notify-table">
              <thead>
                <tr className="text-left text-muted-foreground">
                  <th className="py-2 font-medium">Event</th>
                  {NOTIFY_CHANNELS.map((c) => (
                    <th key={c} className="w-24 py-2 text-center font-medium">
                      {CHANNEL_LABELS[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {NOTIFY_EVENT_TYPES.map((type) => (
                  <tr key={type} className="border-t border-border">
                    <td className="py-1">{TYPE_LABELS[type]}</td>
                    {NOTIFY_CHANNELS.map((channel) =>
                      !applies(channel, type) ? (
                        <td key={channel} className="py-1 text-center text-subtle">
                          <span aria-hidden>—</span>
                          <span className="sr-only">{`No ${CHANNEL_LABELS[channel].toLowerCase()} toast for ${TYPE_LABELS[type].toLowerCase()}`}</span>
                        </td>
                      ) : (
                      <td key={channel} className="py-1 text-center">
                        {/* The label is the tap target: 44x44 px around a normal-sized checkbox. */}
                        <label className="inline-grid size-11 cursor-pointer place-items-center rounded-md hover:bg-muted/60">
                        <input
                          type="checkbox"
                          className="size-4 accent-blue-500"
                          aria-label={`${CHANNEL_LABELS[channel]} for ${TYPE_LABELS[type].toLowerCase()}`}
                          checked={settings.notifications[channel][type]}
                          onChange={() => toggle(settings, channel, type)}
                          data-testid={`notify-${channel}-${type}`}
                        />
                        </label>
                      </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {save.error && <p className="text-sm text-loss">Could not save: {errorMessage(save.error)}</p>}
          <p className="text-xs text-subtle">
            In-app toasts show in the corner of this page (a burst of fills from one model becomes one summary); sound is a short beep in this
            tab; desktop notifications need this browser's permission.
          </p>
        </CardContent>
      </Card>
      <AssistantSettings />
    </div>
  );
}

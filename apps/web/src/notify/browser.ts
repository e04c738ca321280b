import type { NotifySink } from './notifier';

let audio: AudioContext | null = null;

/** A short, quiet 880 Hz beep through WebAudio. */
function beep() {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  const at = audio.currentTime;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, at);
  gain.gain.exponentialRampToValueAtTime(0.001, at + 0.18);
  osc.connect(gain).connect(audio.destination);
  osc.start(at);
  osc.stop(at + 0.2);
}

export const desktopSupported = () => typeof Notification !== 'undefined';

/**
 * Whether notifications are allowed, read once and then kept current by the Permissions API's
 * change event: `Notification.permission` asks the browser each time (~10 ms in headless
 * Chromium) and the notifier asks on every delivery. Without the Permissions API, read at most
 * once a second.
 */
let permission: { allowed: boolean; at: number; watched: boolean } | null = null;
const readPermission = () => desktopSupported() && Notification.permission === 'granted';
function desktopAllowed() {
  const now = Date.now();
  if (!permission) {
    const p: { allowed: boolean; at: number; watched: boolean } = { allowed: readPermission(), at: now, watched: false };
    permission = p;
    if (typeof navigator !== 'undefined' && navigator.permissions?.query) {
      navigator.permissions.query({ name: 'notifications' }).then(
        (status) => {
          p.watched = true;
          p.allowed = readPermission();
          status.addEventListener('change', () => void (p.allowed = readPermission()));
        },
        () => undefined,
      );
    }
  } else if (!permission.watched && now - permission.at >= 1_000) {
    permission.allowed = readPermission();
    permission.at = now;
  }
  return permission.allowed;
}

export const browserNotifySink: NotifySink = {
  beep,
  desktopAllowed,
  showDesktop: (title, body) => void new Notification(title, { body, tag: 'tradewire' }),
};

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

/** `Notification.permission` asks the browser each time (~10 ms in headless Chromium): read at most once a second. */
let permission: { allowed: boolean; at: number } | null = null;
function desktopAllowed() {
  const now = Date.now();
  if (!permission || now - permission.at >= 1_000) permission = { allowed: desktopSupported() && Notification.permission === 'granted', at: now };
  return permission.allowed;
}

export const browserNotifySink: NotifySink = {
  beep,
  desktopAllowed,
  showDesktop: (title, body) => void new Notification(title, { body, tag: 'tradewire' }),
};

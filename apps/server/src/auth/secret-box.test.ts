import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

const box = new SecretBox('server-secret-of-at-least-32-characters');

describe('SecretBox', () => {
  it('round-trips a secret without storing it in the clear', () => {
    const sealed = box.seal('sk-live-1234567890');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('sk-live');
    expect(box.open(sealed)).toBe('sk-live-1234567890');
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('ключ 🔑'))).toBe('ключ 🔑');
  });

  it('uses a fresh IV every time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('opens with the same server secret only', () => {
    const sealed = box.seal('sk-live-1234567890');
    expect(new SecretBox('server-secret-of-at-least-32-characters').open(sealed)).toBe('sk-live-1234567890');
    expect(() => new SecretBox('another-secret-of-at-least-32-characters').open(sealed)).toThrow();
  });

  it('refuses altered or malformed ciphertext', () => {
    const [v, iv, tag, body] = box.seal('sk-live-1234567890').split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64');
    flipped[0]! ^= 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64')].join('.'))).toThrow();
    expect(() => box.open(['v2', iv, tag, body].join('.'))).toThrow();
    expect(() => box.open('v1.only-two')).toThrow();
    expect(() => box.open('')).toThrow();
  });
});

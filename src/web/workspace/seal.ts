// What ties a preview to its commit, and a result link to its session: an HMAC-SHA-256 keyed with the
// session's form token, over what was previewed or done. The content travels as base64 of its bytes:
// a form field carries it unchanged (a browser rewrites line breaks in text, and a workbook is binary).
import { constantTimeEqual } from '../../store/crypto.js';

export async function sealOf(token: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const sealHolds = async (token: string, text: string, seal: string) => constantTimeEqual(await sealOf(token, text), seal);

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(b64: string): Uint8Array | undefined {
  try {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

export async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A form's file field (the first file, if one was chosen and is not empty). */
export async function fileOf(form: Record<string, unknown>, name: string): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'object' || first === null || !('arrayBuffer' in first) || (first as File).size === 0) return undefined;
  return { name: (first as File).name, bytes: new Uint8Array(await (first as File).arrayBuffer()) };
}

// pii_keys.mjs — test-side reader of the personal-data key file (src/core/pii.h): open a sealed value
// read from the store (SM4-CTR, tag checked with HMAC-SM3) and compute a blind index, the way the
// server does. Tests use it to learn the plain ID numbers of rows that only hold them sealed
// (credit tables, migration 042) — exactly what an attacker without the key file cannot do.
import fs from 'node:fs';
import crypto from 'node:crypto';

const hmac = (key, ...parts) => { const h = crypto.createHmac('sm3', key); for (const p of parts) h.update(p); return h.digest(); };

export function readKeys(keyFile) {
  const txt = fs.readFileSync(keyFile, 'utf8');
  const keys = { index: null, stable: null, versions: new Map() };
  for (const line of txt.split('\n')) {
    let m;
    if ((m = line.match(/^index ([0-9a-f]{64})$/))) keys.index = Buffer.from(m[1], 'hex');
    else if ((m = line.match(/^stable ([0-9a-f]{64})$/))) keys.stable = Buffer.from(m[1], 'hex');
    else if ((m = line.match(/^key (\d+) ([0-9a-f]{64})$/))) keys.versions.set(Number(m[1]), Buffer.from(m[2], 'hex'));
    else if ((m = line.match(/^current (\d+)$/))) keys.current = Number(m[1]);
  }
  if (!keys.current) keys.current = Math.max(...keys.versions.keys());
  keys.hasStable = !!keys.stable;
  if (!keys.stable) keys.stable = keys.index; // a key file from before the stable key (core/pii.h)
  return keys;
}

// SQL expression giving a BYTEA/BLOB column as hex on either store.
export const hexSql = (zx, col) => (zx.kind === 'postgres' ? `encode(${col}, 'hex')` : `lower(hex(${col}))`);

// Open a sealed blob (hex); null when empty, tampered or of an unknown key version.
export function openSealed(keys, hex, kind = 1) {
  if (!hex) return null;
  const b = Buffer.from(hex, 'hex');
  if (b.length < 40 || b[0] !== 0x5a || b[1] !== 0x50 || b[3] !== kind) return null;
  const master = keys.versions.get(b.readUInt32BE(4));
  if (!master) return null;
  const tag = hmac(hmac(master, 'zx-pii-mac'), b.subarray(0, b.length - 16)).subarray(0, 16);
  if (!tag.equals(b.subarray(b.length - 16))) return null;
  const d = crypto.createDecipheriv('sm4-ctr', hmac(master, 'zx-pii-enc').subarray(0, 16), b.subarray(8, 24));
  return Buffer.concat([d.update(b.subarray(24, b.length - 16)), d.final()]).toString('utf8');
}

// Blind index (64 hex) of an ID number (kind 1: spaces dropped, upper case).
export function blindIndex(keys, value, kind = 1) {
  const k = hmac(keys.index, Buffer.concat([Buffer.from('zx-pii-idx'), Buffer.from([kind])]));
  return hmac(k, String(value).replace(/\s+/g, '').toUpperCase()).toString('hex');
}

// A party's portal query code (查询码, api/portal_party.c): 8 characters of HMAC-SM3 of
// "portal-query-code:<party id>" under the stable key's ZX_PII_SECRET (kind 5) key; master = the key
// to derive from (default: the stable key, i.e. the index key in a key file without a stable line).
export function queryCode(keys, partyId, master = keys.stable) {
  const al = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const k = hmac(master, Buffer.concat([Buffer.from('zx-pii-idx'), Buffer.from([5])]));
  const h = hmac(k, `portal-query-code:${partyId}`);
  let out = '';
  for (let i = 0; i < 8; i++) out += al[h[i] % al.length];
  return out;
}

// Seal a value with the current key (the server's blob format) → hex; for tests that write rows
// straight into the store.
export function seal(keys, value, kind = 1) {
  const master = keys.versions.get(keys.current);
  const hdr = Buffer.from([0x5a, 0x50, 1, kind, 0, 0, 0, 0]);
  hdr.writeUInt32BE(keys.current, 4);
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv('sm4-ctr', hmac(master, 'zx-pii-enc').subarray(0, 16), iv);
  const body = Buffer.concat([hdr, iv, c.update(Buffer.from(String(value).replace(/\s+/g, '').toUpperCase())), c.final()]);
  return Buffer.concat([body, hmac(hmac(master, 'zx-pii-mac'), body).subarray(0, 16)]).toString('hex');
}
// SQL literal of a blob given as hex, on either store.
export const blobSql = (zx, hex) => (zx.kind === 'postgres' ? `decode('${hex}', 'hex')` : `X'${hex}'`);

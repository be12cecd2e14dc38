/**
 * Crypto and hashing natives (builtins.md §3.23). Everything is synchronous: hashes, AES-256-GCM
 * and RSA go through `node:crypto`, password hashing through `npm:bcryptjs`. Both libraries are
 * loaded only for programs that name one of these natives (see lazy.ts).
 *
 * @module
 */

import { LazyLib } from "./lazy.ts";
import { RuffError } from "../errors.ts";
import { dictOf, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";
import { base64Decode, base64Encode } from "./formats.ts";
import { hostError } from "./files.ts";

const cryptoLib = new LazyLib("node:crypto", () => import("node:crypto"), [
  "md5",
  "md5_file",
  "sha256",
  "aes_encrypt",
  "aes_decrypt",
  "aes_encrypt_bytes",
  "aes_decrypt_bytes",
  "rsa_generate_keypair",
  "rsa_encrypt",
  "rsa_decrypt",
  "rsa_sign",
  "rsa_verify",
]);

const bcryptLib = new LazyLib(
  "The bcrypt library",
  // deno-lint-ignore no-import-prefix
  () => import("npm:bcryptjs@3.0.3").then((m) => m.default),
  ["hash_password", "verify_password"],
);

const enc = new TextEncoder();

// ───────────────────────────── helpers ─────────────────────────────

function hex(data: Uint8Array): string {
  let out = "";
  for (const b of data) out += b.toString(16).padStart(2, "0");
  return out;
}

function digest(algo: string, data: Uint8Array): string {
  return hex(new Uint8Array(cryptoLib.get().createHash(algo).update(data).digest()));
}

/** The expected length of a UTF-8 sequence starting with `b`, or 0 for an invalid lead byte. */
function seqLen(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** The allowed range of the second byte after lead byte `b` (Rust's `str::from_utf8` rules). */
function secondRange(b: number): [number, number] {
  if (b === 0xe0) return [0xa0, 0xbf];
  if (b === 0xed) return [0x80, 0x9f];
  if (b === 0xf0) return [0x90, 0xbf];
  if (b === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/**
 * Decodes UTF-8 strictly; returns the text or, for invalid input, the detail text of Rust's
 * `FromUtf8Error` (`invalid utf-8 sequence of N bytes from index I` /
 * `incomplete utf-8 byte sequence from index I`).
 */
function decodeUtf8(data: Uint8Array): { text: string } | { error: string } {
  let i = 0;
  while (i < data.length) {
    const n = seqLen(data[i]);
    if (n === 0) return { error: `invalid utf-8 sequence of 1 bytes from index ${i}` };
    for (let k = 1; k < n; k++) {
      if (i + k >= data.length) {
        return { error: `incomplete utf-8 byte sequence from index ${i}` };
      }
      const [lo, hi] = k === 1 ? secondRange(data[i]) : [0x80, 0xbf];
      const c = data[i + k];
      if (c < lo || c > hi) {
        return { error: `invalid utf-8 sequence of ${k} bytes from index ${i}` };
      }
    }
    i += n;
  }
  return { text: new TextDecoder().decode(data) };
}

/** The AES key: SHA-256 of the key string's UTF-8 bytes. */
function aesKey(key: string): Uint8Array {
  return new Uint8Array(cryptoLib.get().createHash("sha256").update(enc.encode(key)).digest());
}

function aesEncrypt(plaintext: string, key: string): string {
  const c = cryptoLib.get();
  const nonce = new Uint8Array(c.randomBytes(12));
  let body: Uint8Array;
  try {
    const cipher = c.createCipheriv("aes-256-gcm", aesKey(key), nonce);
    const head = cipher.update(enc.encode(plaintext));
    const tail = cipher.final();
    const tag = cipher.getAuthTag();
    body = new Uint8Array(head.length + tail.length + tag.length);
    body.set(head, 0);
    body.set(tail, head.length);
    body.set(tag, head.length + tail.length);
  } catch (e) {
    throw new RuffError(`AES encryption failed: ${(e as Error).message}`);
  }
  const out = new Uint8Array(12 + body.length);
  out.set(nonce, 0);
  out.set(body, 12);
  return base64Encode(out);
}

/** Decrypts `nonce ‖ ciphertext ‖ tag` (base64) to raw bytes. */
function aesDecrypt(ciphertext: string, key: string): Uint8Array {
  let data: Uint8Array;
  try {
    data = base64Decode(ciphertext);
  } catch (e) {
    throw new RuffError(`Invalid base64 ciphertext: ${(e as Error).message}`);
  }
  if (data.length < 12) throw new RuffError("Invalid ciphertext: too short");
  // Anything shorter than nonce + tag cannot authenticate: the aes-gcm crate reports this as
  // its opaque `aead::Error`, the same as a wrong key or tampered data.
  if (data.length < 28) throw new RuffError("AES decryption failed: aead::Error");
  const nonce = data.subarray(0, 12);
  const body = data.subarray(12, data.length - 16);
  const tag = data.subarray(data.length - 16);
  try {
    const decipher = cryptoLib.get().createDecipheriv("aes-256-gcm", aesKey(key), nonce);
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    const tail = decipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  } catch {
    throw new RuffError("AES decryption failed: aead::Error");
  }
}

function strArgs(name: string, args: Value[], n: number, what: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = args[i];
    if (typeof v !== "string") requires(name, what);
    out.push(v);
  }
  return out;
}

type KeyObject = ReturnType<typeof import("node:crypto").createPublicKey>;

function publicKey(pem: string): KeyObject {
  if (!pem.trimStart().startsWith("-----BEGIN PUBLIC KEY-----")) {
    throw new RuffError("Invalid RSA public key: PEM Base64 error: expected PUBLIC KEY label");
  }
  try {
    const key = cryptoLib.get().createPublicKey({ key: pem, format: "pem" });
    if (key.asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
    return key;
  } catch (e) {
    throw new RuffError(`Invalid RSA public key: ${(e as Error).message}`);
  }
}

function privateKey(pem: string): KeyObject {
  if (!pem.trimStart().startsWith("-----BEGIN PRIVATE KEY-----")) {
    throw new RuffError("Invalid RSA private key: PEM Base64 error: expected PRIVATE KEY label");
  }
  try {
    const key = cryptoLib.get().createPrivateKey({ key: pem, format: "pem" });
    if (key.asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
    return key;
  } catch (e) {
    throw new RuffError(`Invalid RSA private key: ${(e as Error).message}`);
  }
}

function oaep(key: KeyObject) {
  const c = cryptoLib.get();
  return { key, padding: c.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };
}

// ───────────────────────────── natives ─────────────────────────────

const natives: NativeSpec[] = [
  {
    name: "sha256",
    params: "text",
    min: 1,
    doc: "Lower-case hex SHA-256 of a string's UTF-8 bytes.",
    impl(args) {
      const [s] = args;
      if (typeof s !== "string") requires("sha256", "a string argument");
      return digest("sha256", enc.encode(s));
    },
  },
  {
    name: "md5",
    params: "text",
    min: 1,
    doc: "Lower-case hex MD5 of a string's UTF-8 bytes.",
    impl(args) {
      const [s] = args;
      if (typeof s !== "string") requires("md5", "a string argument");
      return digest("md5", enc.encode(s));
    },
  },
  {
    name: "md5_file",
    params: "path",
    min: 1,
    doc: "Lower-case hex MD5 of a file's bytes.",
    impl(args) {
      const [path] = args;
      if (typeof path !== "string") requires("md5_file", "a string path argument");
      let data: Uint8Array;
      try {
        data = Deno.readFileSync(path);
      } catch (e) {
        throw hostError(`Failed to read file '${path}'`, [path], e);
      }
      return digest("md5", data);
    },
  },
  {
    name: "hash_password",
    params: "password",
    min: 1,
    doc: "bcrypt hash (cost 12, random salt) of a password.",
    impl(args) {
      const [pw] = args;
      if (typeof pw !== "string") requires("hash_password", "a string password argument");
      try {
        return bcryptLib.get().hashSync(pw, 12);
      } catch (e) {
        if (e instanceof RuffError) throw e;
        throw new RuffError(`Failed to hash password: ${(e as Error).message}`);
      }
    },
  },
  {
    name: "verify_password",
    params: "password, hash",
    min: 2,
    doc: "Checks a password against a bcrypt hash.",
    impl(args) {
      const [pw, hash] = strArgs(
        "verify_password",
        args,
        2,
        "(string_password, string_hash) arguments",
      );
      const m = /^\$(2[abxy]?)\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(hash);
      if (!m) {
        throw new RuffError(`Failed to verify password: Invalid hash: ${hash}`);
      }
      const cost = Number(m[2]);
      if (cost < 4 || cost > 31) {
        throw new RuffError(`Failed to verify password: Invalid Cost: ${m[2]}`);
      }
      try {
        return bcryptLib.get().compareSync(pw, hash);
      } catch (e) {
        if (e instanceof RuffError) throw e;
        throw new RuffError(`Failed to verify password: ${(e as Error).message}`);
      }
    },
  },
  {
    name: "aes_encrypt",
    params: "plaintext, key",
    min: 2,
    doc: "AES-256-GCM encryption; base64 of nonce, ciphertext and tag.",
    impl(args) {
      const [text, key] = strArgs(
        "aes_encrypt",
        args,
        2,
        "(plaintext_string, key_string) arguments",
      );
      return aesEncrypt(text, key);
    },
  },
  {
    name: "aes_decrypt",
    params: "ciphertext, key",
    min: 2,
    doc: "Decrypts the output of aes_encrypt to a string.",
    impl(args) {
      const [ct, key] = strArgs(
        "aes_decrypt",
        args,
        2,
        "(ciphertext_string, key_string) arguments",
      );
      const r = decodeUtf8(aesDecrypt(ct, key));
      if ("error" in r) throw new RuffError(`Decrypted data is not valid UTF-8: ${r.error}`);
      return r.text;
    },
  },
  {
    name: "aes_encrypt_bytes",
    params: "data, key",
    min: 2,
    doc: "Same as aes_encrypt (the data is a string).",
    impl(args) {
      const [text, key] = strArgs(
        "aes_encrypt_bytes",
        args,
        2,
        "(data_string, key_string) arguments",
      );
      return aesEncrypt(text, key);
    },
  },
  {
    name: "aes_decrypt_bytes",
    params: "ciphertext, key",
    min: 2,
    doc: "Like aes_decrypt; non-UTF-8 plaintext is returned as base64.",
    impl(args) {
      const [ct, key] = strArgs(
        "aes_decrypt_bytes",
        args,
        2,
        "(ciphertext_string, key_string) arguments",
      );
      const data = aesDecrypt(ct, key);
      const r = decodeUtf8(data);
      return "error" in r ? base64Encode(data) : r.text;
    },
  },
  {
    name: "rsa_generate_keypair",
    params: "bits",
    min: 1,
    doc: 'New RSA key pair (2048 or 4096 bits) as {"private", "public"} PEM strings.',
    impl(args) {
      const [bits] = args;
      if (typeof bits !== "number" && typeof bits !== "bigint") {
        requires("rsa_generate_keypair", "an integer (2048 or 4096)");
      }
      const n = Number(bits);
      if (n !== 2048 && n !== 4096) throw new RuffError("RSA key size must be 2048 or 4096 bits");
      let pair: { privateKey: string; publicKey: string };
      try {
        pair = cryptoLib.get().generateKeyPairSync("rsa", {
          modulusLength: n,
          publicExponent: 65537,
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        });
      } catch (e) {
        throw new RuffError(`Failed to generate RSA keypair: ${(e as Error).message}`);
      }
      return dictOf([["private", pair.privateKey], ["public", pair.publicKey]]);
    },
  },
  {
    name: "rsa_encrypt",
    params: "plaintext, public_pem",
    min: 2,
    doc: "RSA-OAEP (SHA-256) encryption; base64 output.",
    impl(args) {
      const [text, pem] = strArgs(
        "rsa_encrypt",
        args,
        2,
        "(plaintext_string, public_key_pem) arguments",
      );
      const key = publicKey(pem);
      try {
        return base64Encode(
          new Uint8Array(cryptoLib.get().publicEncrypt(oaep(key), enc.encode(text))),
        );
      } catch (e) {
        throw new RuffError(`RSA encryption failed: ${(e as Error).message}`);
      }
    },
  },
  {
    name: "rsa_decrypt",
    params: "ciphertext, private_pem",
    min: 2,
    doc: "Decrypts the output of rsa_encrypt.",
    impl(args) {
      const [ct, pem] = strArgs(
        "rsa_decrypt",
        args,
        2,
        "(ciphertext_string, private_key_pem) arguments",
      );
      const key = privateKey(pem);
      let data: Uint8Array;
      try {
        data = base64Decode(ct);
      } catch (e) {
        throw new RuffError(`Invalid base64 ciphertext: ${(e as Error).message}`);
      }
      let plain: Uint8Array;
      try {
        plain = new Uint8Array(cryptoLib.get().privateDecrypt(oaep(key), data));
      } catch {
        throw new RuffError("RSA decryption failed: decryption error");
      }
      const r = decodeUtf8(plain);
      if ("error" in r) throw new RuffError(`Decrypted data is not valid UTF-8: ${r.error}`);
      return r.text;
    },
  },
  {
    name: "rsa_sign",
    params: "message, private_pem",
    min: 2,
    doc: "RSASSA-PKCS1-v1_5 SHA-256 signature; base64 output.",
    impl(args) {
      const [msg, pem] = strArgs(
        "rsa_sign",
        args,
        2,
        "(message_string, private_key_pem) arguments",
      );
      const key = privateKey(pem);
      try {
        return base64Encode(new Uint8Array(cryptoLib.get().sign("sha256", enc.encode(msg), key)));
      } catch (e) {
        throw new RuffError(`RSA signing failed: ${(e as Error).message}`);
      }
    },
  },
  {
    name: "rsa_verify",
    params: "message, signature, public_pem",
    min: 3,
    doc: "Checks an rsa_sign signature.",
    impl(args) {
      const [msg, sig, pem] = strArgs(
        "rsa_verify",
        args,
        3,
        "(message, signature, public_key_pem) arguments",
      );
      const key = publicKey(pem);
      let data: Uint8Array;
      try {
        data = base64Decode(sig);
      } catch (e) {
        throw new RuffError(`Invalid base64 signature: ${(e as Error).message}`);
      }
      try {
        return cryptoLib.get().verify("sha256", enc.encode(msg), key, data);
      } catch {
        return false;
      }
    },
  },
];

/** The crypto category. */
export const crypto: NativeCategory = { name: "crypto", natives };

/**
 * JWT and OAuth2 natives (builtins.md §3.18). Tokens are compact HS256 JWS
 * (`node:crypto` HMAC-SHA256, synchronous); payloads are converted like `to_json` /
 * `parse_json`, so Ints and Floats survive a round trip. `jwt_decode` checks the signature and
 * the algorithm only (no `exp` check, no required claims); an `aud` claim is rejected
 * (`InvalidAudience`) because no audience can be configured.
 *
 * @module
 */

import { LazyLib } from "./lazy.ts";
import { RuffError } from "../errors.ts";
import { RDict, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";
import { base64Decode, base64Encode, parseJson, toJson } from "./formats.ts";
import { permissionError } from "./files.ts";

const cryptoLib = new LazyLib("node:crypto", () => import("node:crypto"), [
  "jwt_encode",
  "jwt_decode",
]);

const HEADER = '{"typ":"JWT","alg":"HS256"}';
const enc = new TextEncoder();

const b64url = (data: Uint8Array) => base64Encode(data, true, false);

function hmac(secret: string, input: string): Uint8Array {
  return new Uint8Array(
    cryptoLib.get().createHmac("sha256", enc.encode(secret)).update(input).digest(),
  );
}

/** Encodes a dict payload as an HS256 JWT. */
export function jwtEncode(payload: RDict, secret: string): string {
  let json: string;
  try {
    json = toJson(payload);
  } catch (e) {
    if (e instanceof RuffError) {
      throw new RuffError(`Failed to convert payload to JSON: ${e.message}`);
    }
    throw e;
  }
  const input = b64url(enc.encode(HEADER)) + "." + b64url(enc.encode(json));
  return input + "." + b64url(hmac(secret, input));
}

const ALGORITHMS = [
  "HS256",
  "HS384",
  "HS512",
  "ES256",
  "ES384",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "EdDSA",
];

class JwtFailure extends Error {}

function b64part(s: string): Uint8Array {
  try {
    return base64Decode(s, true, false);
  } catch (e) {
    throw new JwtFailure(`Base64 error: ${(e as Error).message}`);
  }
}

function jsonPart(data: Uint8Array): Value {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new JwtFailure("Utf8 error: invalid utf-8 sequence");
  }
  try {
    return parseJson(text);
  } catch (e) {
    const msg = (e as Error).message.replace(/^JSON parse error: /, "");
    throw new JwtFailure(`JSON error: ${msg}`);
  }
}

/** Verifies an HS256 JWT and returns its payload dict. Raises `JWT decoding error: <Kind>`. */
export function jwtDecode(token: string, secret: string): RDict {
  try {
    const parts = token.split(".");
    if (parts.length !== 3) throw new JwtFailure("InvalidToken");
    const [h, p, sig] = parts;
    const header = jsonPart(b64part(h));
    if (!(header instanceof RDict)) {
      throw new JwtFailure("JSON error: expected a JWT header object");
    }
    const alg = header.map.get("alg");
    if (typeof alg !== "string") throw new JwtFailure("JSON error: missing field `alg`");
    if (!ALGORITHMS.includes(alg)) throw new JwtFailure(`JSON error: unknown variant \`${alg}\``);
    if (alg !== "HS256") throw new JwtFailure("InvalidAlgorithm");
    const given = b64part(sig);
    const want = hmac(secret, h + "." + p);
    if (given.length !== want.length || !cryptoLib.get().timingSafeEqual(given, want)) {
      throw new JwtFailure("InvalidSignature");
    }
    const claims = jsonPart(b64part(p));
    if (!(claims instanceof RDict)) {
      throw new JwtFailure("JSON error: invalid type, expected a map");
    }
    if (claims.map.has("aud")) throw new JwtFailure("InvalidAudience");
    return claims;
  } catch (e) {
    if (e instanceof JwtFailure) throw new RuffError(`JWT decoding error: ${e.message}`);
    throw e;
  }
}

/** Percent-encodes every UTF-8 byte except `A–Z a–z 0–9 - _ . ~`. */
export function percentEncode(s: string): string {
  let out = "";
  for (const b of enc.encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function randomState(): string {
  const buf = new Uint32Array(2);
  crypto.getRandomValues(buf);
  return ((BigInt(buf[0]) << 32n) | BigInt(buf[1])).toString(16);
}

const natives: NativeSpec[] = [
  {
    name: "jwt_encode",
    params: "payload, secret",
    min: 2,
    doc: "An HS256 JSON Web Token for a dict payload.",
    impl: (args) => {
      const [payload, secret] = args;
      if (!(payload instanceof RDict) || typeof secret !== "string") {
        requires("jwt_encode", "a dictionary payload and secret key string");
      }
      return jwtEncode(payload, secret);
    },
  },
  {
    name: "jwt_decode",
    params: "token, secret",
    min: 2,
    doc: "Verifies an HS256 token's signature and returns its payload dict.",
    impl: (args) => {
      const [token, secret] = args;
      if (typeof token !== "string" || typeof secret !== "string") {
        requires("jwt_decode", "a token string and secret key string");
      }
      return jwtDecode(token, secret);
    },
  },
  {
    name: "oauth2_auth_url",
    params: "client_id, redirect_uri, auth_url, scope",
    min: 4,
    doc: "An OAuth2 authorization-code URL with a random state.",
    impl: (args) => {
      const [clientId, redirect, authUrl, scope] = args;
      if (
        typeof clientId !== "string" || typeof redirect !== "string" ||
        typeof authUrl !== "string" || typeof scope !== "string"
      ) {
        requires("oauth2_auth_url", "client_id, redirect_uri, auth_url, and scope strings");
      }
      return `${authUrl}?client_id=${percentEncode(clientId)}&redirect_uri=${
        percentEncode(redirect)
      }&response_type=code&scope=${percentEncode(scope)}&state=${randomState()}`;
    },
  },
  {
    name: "oauth2_get_token",
    params: "code, client_id, client_secret, token_url, redirect_uri",
    min: 5,
    doc: "Exchanges an authorization code at the token endpoint; returns the response dict.",
    impl: async (args) => {
      if (!args.every((a) => typeof a === "string")) {
        requires(
          "oauth2_get_token",
          "code, client_id, client_secret, token_url, and redirect_uri strings",
        );
      }
      const [code, clientId, clientSecret, tokenUrl, redirect] = args as string[];
      const body = new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirect,
      });
      let status: number, text: string;
      try {
        const res = await fetch(tokenUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
          signal: AbortSignal.timeout(30000),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable) throw permissionError(e);
        throw new RuffError(`OAuth2 token request failed: ${(e as Error).message}`);
      }
      if (status < 200 || status > 299) {
        throw new RuffError(`OAuth2 token request failed with status ${status}: ${text}`);
      }
      let data: Value;
      try {
        data = parseJson(text);
      } catch (e) {
        throw new RuffError(
          `Failed to parse OAuth2 token response: ${
            (e as Error).message.replace(/^JSON parse error: /, "")
          }`,
        );
      }
      return data instanceof RDict ? data : new RDict();
    },
  },
];

/** The JWT and OAuth2 category. */
export const auth: NativeCategory = { name: "auth", natives };

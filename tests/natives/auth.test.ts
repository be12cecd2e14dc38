import assert from "node:assert/strict";
import { RuffError } from "../../lib/errors.ts";
import { arrayOf, mkFloat, RDict, RSet, type Value } from "../../lib/values.ts";
import { auth, percentEncode } from "../../lib/runtime/auth.ts";

import { preload } from "../../lib/runtime/lazy.ts";
import { d, harness, plainLoose, throwsMsg } from "./_helpers.ts";

// The natives read their libraries synchronously once loaded (lib/runtime/lazy.ts).
await preload(["parse_yaml", "parse_toml", "jwt_encode"]);

const { run } = harness(auth);
const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** HMAC-SHA256 through WebCrypto, independent of the implementation under test. */
async function sign(secret: string, input: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)),
  );
  return b64url(String.fromCharCode(...sig));
}

Deno.test("jwt_decode accepts the well-known HS256 vector", () => {
  const token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  assert.deepEqual(plainLoose(run("jwt_decode", token, "your-256-bit-secret") as Value), {
    sub: "1234567890",
    name: "John Doe",
    iat: 1516239022,
  });
  throwsMsg(() => run("jwt_decode", token, "other"), "JWT decoding error: InvalidSignature");
});

Deno.test("jwt_encode produces the expected HS256 token", async () => {
  const payload = d({ sub: "1234567890", name: "John Doe", iat: 1516239022 });
  const token = run("jwt_encode", payload, "your-256-bit-secret") as string;
  const [h, p, s] = token.split(".");
  assert.equal(h, "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"); // {"typ":"JWT","alg":"HS256"}
  assert.equal(atob(p), '{"iat":1516239022,"name":"John Doe","sub":"1234567890"}');
  assert.equal(s, await sign("your-256-bit-secret", `${h}.${p}`));
  assert.equal(run("jwt_encode", d({}), "k"), `${h}.e30.${await sign("k", `${h}.e30`)}`);
});

Deno.test("JWT round trips keep Int, Float, nesting (C174–C179, C184, C185)", () => {
  const payload = d({
    user_id: 456,
    role: "admin",
    active: true,
    exp: mkFloat(1706144400),
    ratio: mkFloat(0.25),
    user: d({ id: 999, name: "bob" }),
    permissions: arrayOf(["read", "write"]),
    sub: "1234567890",
    nothing: null,
  });
  const token = run("jwt_encode", payload, "secret") as string;
  assert.ok(token.length > 0);
  assert.deepEqual(plainLoose(run("jwt_decode", token, "secret") as Value), plainLoose(payload));
  const empty = run("jwt_decode", run("jwt_encode", d({}), "s") as string, "s");
  assert.ok(empty instanceof RDict && empty.map.size === 0);
});

Deno.test("jwt_decode failures", async () => {
  const token = run("jwt_encode", d({ a: 1 }), "correct-secret") as string;
  throwsMsg(() => run("jwt_decode", token, "wrong-secret"), "JWT decoding error: InvalidSignature");
  throwsMsg(() => run("jwt_decode", "abc", "k"), "JWT decoding error: InvalidToken");
  throwsMsg(() => run("jwt_decode", "a.b.c.d", "k"), "JWT decoding error: InvalidToken");
  const h512 = b64url('{"alg":"HS512","typ":"JWT"}');
  const body = b64url('{"a":1}');
  throwsMsg(
    () => run("jwt_decode", `${h512}.${body}.${b64url("x")}`, "k"),
    "JWT decoding error: InvalidAlgorithm",
  );
  const h = b64url('{"typ":"JWT","alg":"HS256"}');
  const aud = b64url('{"aud":"x"}');
  const audSig = await sign("k", `${h}.${aud}`);
  throwsMsg(
    () => run("jwt_decode", `${h}.${aud}.${audSig}`, "k"),
    "JWT decoding error: InvalidAudience",
  );
  const list = b64url("[1]");
  const listSig = await sign("k", `${h}.${list}`);
  throwsMsg(
    () => run("jwt_decode", `${h}.${list}.${listSig}`, "k"),
    "JWT decoding error: JSON error: invalid type, expected a map",
  );
  throwsMsg(
    () => run("jwt_decode", "!!.e30.x", "k"),
    "JWT decoding error: Base64 error: Invalid byte 33, offset 0.",
  );
  throwsMsg(
    () => run("jwt_decode", 1, "k"),
    "jwt_decode() requires a token string and secret key string",
  );
  throwsMsg(
    () => run("jwt_encode", "x", "k"),
    "jwt_encode() requires a dictionary payload and secret key string",
  );
  throwsMsg(
    () => run("jwt_encode", d({ s: new RSet([1, 2]) }), "k"),
    "Failed to convert payload to JSON: Cannot convert Set{2 items} to JSON",
  );
});

Deno.test("oauth2_auth_url (C180, C181, C186)", () => {
  const url = run(
    "oauth2_auth_url",
    "my-client-id",
    "https://example.com/callback",
    "https://provider.com/oauth/authorize",
    "read write",
  ) as string;
  assert.match(
    url,
    /^https:\/\/provider\.com\/oauth\/authorize\?client_id=my-client-id&redirect_uri=https%3A%2F%2Fexample\.com%2Fcallback&response_type=code&scope=read%20write&state=[0-9a-f]{1,16}$/,
  );
  const u2 = run(
    "oauth2_auth_url",
    "test client",
    "https://e.com/cb?param=value",
    "https://a.com/auth",
    "read:user",
  ) as string;
  assert.ok(
    u2.startsWith(
      "https://a.com/auth?client_id=test%20client&redirect_uri=https%3A%2F%2Fe.com%2Fcb%3Fparam%3Dvalue&",
    ),
  );
  assert.equal(percentEncode("!'()*~-_.é"), "%21%27%28%29%2A~-_.%C3%A9");
  throwsMsg(
    () => run("oauth2_auth_url", "a", "b", "c", 1),
    "oauth2_auth_url() requires client_id, redirect_uri, auth_url, and scope strings",
  );
});

Deno.test("oauth2_get_token against a local endpoint", async () => {
  const ac = new AbortController();
  let seen = "";
  const server = Deno.serve({ port: 0, signal: ac.signal, onListen() {} }, async (req) => {
    seen = await req.text();
    if (new URLSearchParams(seen).get("code") === "bad") {
      return new Response("nope", { status: 400 });
    }
    return Response.json({ access_token: "tok", expires_in: 3600, ratio: 1.5 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/token`;
  try {
    const v = await run("oauth2_get_token", "the code", "cid", "sec", url, "https://x/cb");
    assert.deepEqual(plainLoose(v), { access_token: "tok", expires_in: 3600, ratio: { f: 1.5 } });
    const form = new URLSearchParams(seen);
    assert.equal(form.get("grant_type"), "authorization_code");
    assert.equal(form.get("code"), "the code");
    assert.equal(form.get("redirect_uri"), "https://x/cb");
    await assert.rejects(
      Promise.resolve(run("oauth2_get_token", "bad", "cid", "sec", url, "r")),
      (e: unknown) =>
        e instanceof RuffError && e.message === "OAuth2 token request failed with status 400: nope",
    );
  } finally {
    ac.abort();
    await server.finished;
  }
});

import assert from "node:assert/strict";
import type { RDict, Value } from "../../lib/values.ts";
import { crypto as cryptoNatives } from "../../lib/runtime/crypto.ts";
import { preload } from "../../lib/runtime/lazy.ts";
import { harness, throwsMsg } from "./_helpers.ts";

// The natives read their libraries synchronously once loaded (lib/runtime/lazy.ts).
await preload(["sha256", "hash_password"]);

const { run } = harness(cryptoNatives);

Deno.test("sha256 and md5 match the published test vectors", () => {
  // FIPS 180-2 and RFC 1321 appendix A.5.
  assert.equal(
    run("sha256", "abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    run("sha256", ""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(run("md5", ""), "d41d8cd98f00b204e9800998ecf8427e");
  assert.equal(run("md5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
  assert.equal(run("md5", "message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  throwsMsg(() => run("sha256", 1), "sha256() requires a string argument");
  throwsMsg(() => run("md5", null), "md5() requires a string argument");
});

Deno.test("md5_file hashes the file bytes; a missing file raises", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ruff_crypto_" });
  try {
    Deno.writeTextFileSync(`${dir}/a.txt`, "abc");
    assert.equal(run("md5_file", `${dir}/a.txt`), "900150983cd24fb0d6963f7d28e17f72");
    throwsMsg(
      () => run("md5_file", `${dir}/none`),
      `Failed to read file '${dir}/none': No such file or directory (os error 2)`,
    );
    throwsMsg(() => run("md5_file", 3), "md5_file() requires a string path argument");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verify_password accepts hashes from the crypt_blowfish test vectors", () => {
  // Openwall crypt_blowfish wrapper.c test vectors (independent of bcryptjs).
  const h1 = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  const h2 = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK";
  assert.equal(run("verify_password", "U*U", h1), true);
  assert.equal(run("verify_password", "U*U*", h2), true);
  assert.equal(run("verify_password", "U*U*", h1), false);
  throwsMsg(() => run("verify_password", "x", "nonsense"), /^Failed to verify password: /);
  throwsMsg(
    () => run("verify_password", "x", 1),
    "verify_password() requires (string_password, string_hash) arguments",
  );
});

Deno.test("hash_password makes a cost-12 $2b$ hash that verifies", () => {
  const h = run("hash_password", "secret") as string;
  assert.match(h, /^\$2b\$12\$[./A-Za-z0-9]{53}$/);
  assert.equal(run("verify_password", "secret", h), true);
  assert.equal(run("verify_password", "Secret", h), false);
  throwsMsg(() => run("hash_password", 5), "hash_password() requires a string password argument");
});

/** AES-256-GCM decryption through WebCrypto, independent of the implementation under test. */
async function webDecrypt(b64: string, key: string): Promise<string> {
  const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const k = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const ck = await globalThis.crypto.subtle.importKey("raw", k, "AES-GCM", false, ["decrypt"]);
  const plain = await globalThis.crypto.subtle.decrypt(
    { name: "AES-GCM", iv: raw.subarray(0, 12) },
    ck,
    raw.subarray(12),
  );
  return new TextDecoder().decode(plain);
}

Deno.test("aes_encrypt / aes_decrypt round trip; format is nonce ‖ ciphertext ‖ tag", async () => {
  const ct = run("aes_encrypt", "Hello, Ruff! é", "key") as string;
  assert.notEqual(run("aes_encrypt", "Hello, Ruff! é", "key"), ct);
  assert.equal(atob(ct).length, 12 + new TextEncoder().encode("Hello, Ruff! é").length + 16);
  assert.equal(run("aes_decrypt", ct, "key"), "Hello, Ruff! é");
  assert.equal(await webDecrypt(ct, "key"), "Hello, Ruff! é");
  assert.equal(run("aes_decrypt_bytes", run("aes_encrypt_bytes", "data", "k"), "k"), "data");
  throwsMsg(() => run("aes_decrypt", ct, "wrong"), "AES decryption failed: aead::Error");
  throwsMsg(() => run("aes_decrypt", btoa("short"), "key"), "Invalid ciphertext: too short");
  throwsMsg(() => run("aes_decrypt", "!!!", "key"), /^Invalid base64 ciphertext: /);
  throwsMsg(
    () => run("aes_encrypt", 1, "k"),
    "aes_encrypt() requires (plaintext_string, key_string) arguments",
  );
});

Deno.test("aes_decrypt rejects non-UTF-8 plaintext; aes_decrypt_bytes returns base64", async () => {
  const k = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode("k"));
  const ck = await globalThis.crypto.subtle.importKey("raw", k, "AES-GCM", false, ["encrypt"]);
  const iv = new Uint8Array(12);
  const body = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      ck,
      new Uint8Array([0x61, 0xff, 0x62]),
    ),
  );
  const all = new Uint8Array([...iv, ...body]);
  const b64 = btoa(String.fromCharCode(...all));
  throwsMsg(
    () => run("aes_decrypt", b64, "k"),
    "Decrypted data is not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 1",
  );
  assert.equal(run("aes_decrypt_bytes", b64, "k"), btoa("a\xffb"));
});

Deno.test("RSA key pair, OAEP encrypt/decrypt and PKCS#1 v1.5 sign/verify", () => {
  const pair = run("rsa_generate_keypair", 2048) as RDict;
  const priv = pair.map.get("private") as string;
  const pub = pair.map.get("public") as string;
  assert.ok(priv.startsWith("-----BEGIN PRIVATE KEY-----\n"));
  assert.ok(pub.startsWith("-----BEGIN PUBLIC KEY-----\n"));
  assert.ok(!priv.includes("\r"));

  const ct = run("rsa_encrypt", "secret message", pub) as string;
  assert.equal(atob(ct).length, 256);
  assert.equal(run("rsa_decrypt", ct, priv), "secret message");

  const sig = run("rsa_sign", "hello", priv) as string;
  assert.equal(run("rsa_sign", "hello", priv), sig);
  assert.equal(run("rsa_verify", "hello", sig, pub), true);
  assert.equal(run("rsa_verify", "hellO", sig, pub), false);
  assert.equal(run("rsa_verify", "hello", btoa("xyz"), pub), false);

  throwsMsg(() => run("rsa_generate_keypair", 1024), "RSA key size must be 2048 or 4096 bits");
  throwsMsg(
    () => run("rsa_generate_keypair", "2048"),
    "rsa_generate_keypair() requires an integer (2048 or 4096)",
  );
  throwsMsg(() => run("rsa_encrypt", "x", "junk"), /^Invalid RSA public key: /);
  throwsMsg(() => run("rsa_sign", "x", pub), /^Invalid RSA private key: /);
  throwsMsg(() => run("rsa_decrypt", "!!", priv), /^Invalid base64 ciphertext: /);
  throwsMsg(() => run("rsa_decrypt", btoa("x".repeat(256)), priv), /^RSA decryption failed: /);
  throwsMsg(() => run("rsa_verify", "x", "!!", pub), /^Invalid base64 signature: /);
  throwsMsg(
    () => run("rsa_verify", "x", "y" as Value),
    "rsa_verify() requires (message, signature, public_key_pem) arguments",
  );
});

Deno.test("RSA interoperates with WebCrypto", async () => {
  const pair = run("rsa_generate_keypair", 2048) as RDict;
  const pub = pair.map.get("public") as string;
  const der = Uint8Array.from(
    atob(pub.replace(/-----[A-Z ]+-----/g, "").replace(/\s/g, "")),
    (c) => c.charCodeAt(0),
  );
  const key = await globalThis.crypto.subtle.importKey(
    "spki",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const sig = Uint8Array.from(
    atob(run("rsa_sign", "msg", pair.map.get("private") as string) as string),
    (c) => c.charCodeAt(0),
  );
  assert.ok(
    await globalThis.crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      sig,
      new TextEncoder().encode("msg"),
    ),
  );
});

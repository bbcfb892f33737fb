import { spawnSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signatureHeaders } from "../../../src/domain/webhooks/signing";

// The reference's Python verify_webhook, word for word, fed the body, signature and secret.
const PYTHON = `
import hmac, hashlib, sys, json

def verify_webhook(payload: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(
        secret.encode(), payload, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(signature, expected)

case = json.loads(sys.stdin.read())
print("valid" if verify_webhook(case["body"].encode(), case["signature"], case["secret"]) else "invalid")
`;

function verifyInPython(body: string, signature: string, secret: string): string {
  const run = spawnSync("python3", ["-c", PYTHON], { input: JSON.stringify({ body, signature, secret }), encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

// The reference's Node.js verifyWebhook, word for word.
function verifyWebhook(payload: string, signature: string, secret: string) {
  const expected = createHmac("sha256", secret).update(payload, "utf8").digest("hex");
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

describe("X-PassLite-Signature", () => {
  it("verifies with the reference's Python and Node snippets unchanged, and fails for another body or secret", async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({
      id: "evt_1",
      event: "pass.created",
      timestamp: "2026-04-07T10:30:00Z",
      data: { id: "pass_1", customer_name: "Zoë" },
    });
    const headers = await signatureHeaders(body, {
      eventId: "evt_1",
      deliveryId: "whd_1",
      eventType: "pass.created",
      secrets: [secret],
      timestamp: 1_800_000_000,
    });
    const signature = headers["X-PassLite-Signature"]!;
    expect(verifyInPython(body, signature, secret)).toBe("valid");
    expect(verifyWebhook(body, signature, secret)).toBe(true);
    expect(verifyInPython(`${body} `, signature, secret)).toBe("invalid");
    expect(verifyInPython(body, signature, newWebhookSecret())).toBe("invalid");
  });
});

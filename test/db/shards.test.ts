import { env } from "cloudflare:test";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../src/db/client";
import { businessesForEmail } from "../../src/db/customer-emails";
import { locateSerial, placeBusiness } from "../../src/db/shards";
import { customerEmailHash } from "../../src/domain/customers";
import { businessOn, createTemplate, issue, json, keyAuth, request, uniqueEmail } from "../support/api";
import { passJsonOf } from "../support/pass-json-schema";

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148";

const count = async (db: D1Database, table: string, businessId: string) =>
  (await db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE business_id = ?`).bind(businessId).first<{ n: number }>())!.n;

describe("placement", () => {
  it("spreads new businesses over the open shards by a stable hash of their id", () => {
    const shards = ["DB", "DB_SHARD_1"];
    const placed = Array.from({ length: 400 }, (_, i) => placeBusiness(shards, `biz_${i}`));
    expect(placeBusiness(shards, "biz_7")).toBe(placed[7]);
    const onFirst = placed.filter((s) => s === "DB").length;
    expect(onFirst).toBeGreaterThan(150);
    expect(onFirst).toBeLessThan(250);
    expect(placeBusiness(["DB"], "biz_7")).toBe("DB");
  });
});

describe("two businesses on two shards", () => {
  it("each keep their data in their own shard, and the API and the wallet web service work for both", async () => {
    const customer = uniqueEmail("customer");
    for (const shard of ["DB", "DB_SHARD_1"] as const) {
      const { businessId, key } = await businessOn(shard);
      const own = env[shard];
      const other = shard === "DB" ? env.DB_SHARD_1 : env.DB;
      const template = await createTemplate(businessId, key, { name: "Card", type: "loyalty", stamp_goal: 10 });
      const pass = await issue(businessId, key, { template_id: template.id, customer_email: customer, customer_name: "Shard Walker" });
      const stamped = await json(
        await request(`/businesses/${businessId}/passes/${pass.serial_number}/stamp?count=2`, { method: "POST", headers: keyAuth(key) }),
        200,
      );
      expect(stamped.stamps).toBe(2);
      const found = await json(await request(`/businesses/${businessId}/passes?q=walker`, { headers: keyAuth(key) }), 200);
      expect(found.data.map((p: { id: string }) => p.id)).toEqual([pass.id]);

      for (const table of ["templates", "passes", "ledger_entries", "events"]) {
        expect(await count(own, table, businessId), `${table} on ${shard}`).toBeGreaterThan(0);
        expect(await count(other, table, businessId), `${table} not on the other shard`).toBe(0);
      }

      // The serial alone finds the shard: the download link and the PassKit web service.
      expect(await locateSerial(createDatabase(env.DB), pass.serial_number)).toEqual({ businessId, shard });
      const download = await request(pass.download_url, { headers: { "user-agent": IPHONE } });
      expect(download.status).toBe(200);
      const passJson = passJsonOf(unzipSync(new Uint8Array(await download.arrayBuffer())));
      expect(passJson.storeCard.primaryFields[0].value).toBe("2/10");
      const auth = { authorization: `ApplePass ${passJson.authenticationToken}` };
      const device = `device-${crypto.randomUUID()}`;
      const registered = await request(
        `/wallet/apple/v1/devices/${device}/registrations/${passJson.passTypeIdentifier}/${pass.serial_number}`,
        {
          method: "POST",
          headers: auth,
          json: { pushToken: `push-${device}` },
        },
      );
      expect(registered.status).toBe(201);
      const registration = await own
        .prepare("SELECT COUNT(*) AS n FROM apple_registrations WHERE device_library_id = ?")
        .bind(device)
        .first<{ n: number }>();
      expect(registration!.n).toBe(1);
      const changed = await json(await request(`/wallet/apple/v1/devices/${device}/registrations/${passJson.passTypeIdentifier}`), 200);
      expect(changed.serialNumbers).toEqual([pass.serial_number]);
      const latest = await request(`/wallet/apple/v1/passes/${passJson.passTypeIdentifier}/${pass.serial_number}`, { headers: auth });
      expect(latest.status).toBe(200);
    }
    // The global email index names both businesses, whatever shard each is on.
    const indexed = await businessesForEmail(createDatabase(env.DB), await customerEmailHash(customer));
    expect(indexed).toHaveLength(2);
  });
});

import { unzipSync } from "fflate";
import { bearer, json, request, type Session } from "./api";

export interface ScanBody {
  code: string;
  action: "verify" | "checkin";
  device?: string;
}

/** POST /businesses/{id}/scan, as a door scanner sends it. */
export const scan = (businessId: string, headers: Record<string, string>, body: ScanBody) =>
  request(`/businesses/${businessId}/scan`, { method: "POST", headers, json: body });

/** POST …/passes/{id}/checkin: the dashboard's check-in, which shares the scan rules. */
export const checkIn = (businessId: string, headers: Record<string, string>, identifier: string) =>
  request(`/businesses/${businessId}/passes/${identifier}/checkin`, { method: "POST", headers });

/** What the pass's barcode encodes, read from the .pkpass the wallet downloads. */
export async function walletBarcode(pass: { download_url: string }): Promise<string> {
  const res = await request(`${pass.download_url}?format=pkpass`);
  if (res.status !== 200) throw new Error(`pkpass download failed: ${res.status} ${await res.text()}`);
  const passJson = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(await res.arrayBuffer()))["pass.json"]));
  return passJson.barcodes[0].message as string;
}

/** A new API key of the business limited to `scopes`, with its id (scan records name it). */
export async function scopedKey(session: Session, scopes: string[], name = "Door") {
  const created = await json<{ id: string; key: string }>(
    await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: bearer(session),
      json: { name, mode: "live", scopes },
    }),
    201,
  );
  return { id: created.id, headers: { "x-api-key": created.key } };
}

/** Sets the business's timezone (the one-time message shows the first check-in's time in it). */
export async function setTimezone(session: Session, timezone: string): Promise<void> {
  await json(await request("/businesses/me", { method: "PATCH", headers: bearer(session), json: { timezone } }), 200);
}

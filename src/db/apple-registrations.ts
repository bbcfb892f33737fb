import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows, statement } from "./statements";

export interface RegistrationRow {
  id: string;
  device_library_id: string;
  pass_type_id: string;
  pass_id: string;
  push_token: string;
}

/** Inserts a new registration; RETURNING tells new (a row) from existing (none). */
export function insertRegistration(
  db: Database,
  r: { id: string; device: string; passTypeId: string; passId: string; pushToken: string; now: string },
) {
  return statement(
    db,
    sql`
    INSERT INTO apple_registrations (id, device_library_id, pass_type_id, pass_id, push_token, created_at, updated_at)
    VALUES (${r.id}, ${r.device}, ${r.passTypeId}, ${r.passId}, ${r.pushToken}, ${r.now}, ${r.now})
    ON CONFLICT (device_library_id, pass_type_id, pass_id) DO NOTHING
    RETURNING id`,
  );
}

/** Devices re-register with a fresh push token; keep the newest. */
export function refreshPushToken(db: Database, r: { device: string; passTypeId: string; passId: string; pushToken: string; now: string }) {
  return statement(
    db,
    sql`
    UPDATE apple_registrations SET push_token = ${r.pushToken}, updated_at = ${r.now}
    WHERE device_library_id = ${r.device} AND pass_type_id = ${r.passTypeId} AND pass_id = ${r.passId} AND push_token != ${r.pushToken}`,
  );
}

export function deleteRegistration(db: Database, r: { device: string; passTypeId: string; passId: string }) {
  return statement(
    db,
    sql`
    DELETE FROM apple_registrations WHERE device_library_id = ${r.device} AND pass_type_id = ${r.passTypeId} AND pass_id = ${r.passId}`,
  );
}

export function deleteRegistrationById(db: Database, id: string) {
  return statement(db, sql`DELETE FROM apple_registrations WHERE id = ${id}`);
}

/** Serials of the device's passes in this shard changed after change number `since`, with the newest change number. */
export function updatedSerialsForDevice(db: Database, device: string, passTypeId: string, since: number) {
  return allRows<{ serial_number: string; change_seq: number }>(
    db,
    sql`
    SELECT p.serial_number, p.change_seq FROM apple_registrations r JOIN passes p ON p.id = r.pass_id
    WHERE r.device_library_id = ${device} AND r.pass_type_id = ${passTypeId} AND p.change_seq > ${since}
    ORDER BY p.change_seq`,
  );
}

export function registrationsForPass(db: Database, passId: string) {
  return allRows<RegistrationRow>(db, sql`SELECT * FROM apple_registrations WHERE pass_id = ${passId}`);
}

export function insertDeviceLogs(db: Database, logs: Array<{ id: string; message: string }>) {
  return logs.map((l) => statement(db, sql`INSERT INTO apple_device_logs (id, message) VALUES (${l.id}, ${l.message})`));
}

/** Control database: remembers that `shard` holds registrations of this device (idempotent). */
export function indexDeviceShard(control: Database, r: { device: string; passTypeId: string; shard: string }) {
  return statement(
    control,
    sql`INSERT INTO apple_devices (device_library_id, pass_type_id, shard) VALUES (${r.device}, ${r.passTypeId}, ${r.shard}) ON CONFLICT DO NOTHING`,
  );
}

export function shardsForDevice(control: Database, device: string, passTypeId: string) {
  return allRows<{ shard: string }>(
    control,
    sql`SELECT shard FROM apple_devices WHERE device_library_id = ${device} AND pass_type_id = ${passTypeId}`,
  );
}

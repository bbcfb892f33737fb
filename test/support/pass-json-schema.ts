import { PassProps } from "passkit-generator/schemas";
import { expect } from "vitest";

/**
 * Checks a pass.json against passkit-generator's published schema — an outside reading of Apple's
 * format — and returns it. The one key the schema does not know is `barcode`, which PassLite keeps
 * for iOS < 9 next to `barcodes`: it must be exactly the first of `barcodes`.
 */
export function expectValidPassJson<T>(passJson: T): T {
  const { barcode, ...rest } = passJson as Record<string, unknown>;
  if (barcode !== undefined) expect(barcode, "legacy barcode repeats barcodes[0]").toEqual((rest.barcodes as unknown[])[0]);
  const { error } = PassProps.validate(rest, { abortEarly: false });
  expect(error?.details.map((d) => d.message) ?? [], "pass.json against passkit-generator's schema").toEqual([]);
  return passJson;
}

/** pass.json out of a .pkpass's files, validated. */
export function passJsonOf(files: Record<string, Uint8Array>) {
  const file = files["pass.json"];
  if (!file) throw new Error("no pass.json in the package");
  return expectValidPassJson(JSON.parse(new TextDecoder().decode(file)) as Record<string, any>);
}

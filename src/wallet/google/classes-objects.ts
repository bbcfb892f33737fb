import type { BarcodeFormat, PassStatus, TemplateType } from "../../domain/enums";
import { currencyDecimals, isCurrency } from "../../domain/money";
import type { FieldValue } from "../../domain/templates/design";

/**
 * PassLite template + pass → Google Wallet REST resources (walletobjects/v1). Pure: no I/O.
 * A template is one Google class; a pass is one Google object of that class.
 */

export interface GoogleTemplateInput {
  id: string;
  type: TemplateType;
  name: string;
  organizationName: string;
  description?: string | null;
  colors: { background?: string | null };
  /** A public HTTPS URL; Google fetches it. Required by Google for loyalty classes (programLogo); an offer's titleImage. Square, ≥ 660 px. */
  logoUrl?: string | null;
  /** The wide image across the card (heroImage), 1032×336. */
  heroImageUrl?: string | null;
  eventName?: string | null;
  venue?: string | null;
  /** ISO 8601; with an offset for an absolute time, without for local time at the venue. */
  eventStart?: string | null;
  /** Where Google posts save/delete callbacks for objects of this class (see callback.ts). */
  callbackUrl?: string | null;
}

export interface GooglePassInput {
  serialNumber: string;
  status: PassStatus;
  customerName?: string | null;
  points: number;
  stamps: number;
  stampGoal?: number | null;
  /** Major units (85.5); used only when `balanceMinor` is absent. */
  balance: number | null;
  /** Integer minor units (8550), the exact form: preferred over `balance`. */
  balanceMinor?: number | null;
  currency?: string | null;
  barcode: { format: BarcodeFormat; value: string; altText?: string | null };
  expiresAt?: string | null;
  /** The template's fields Google has no place of its own for, ready to read. */
  texts?: GoogleText[];
}

export interface GoogleText {
  id: string;
  header?: string;
  body: string;
}

export type GoogleClassType = "loyaltyClass" | "giftCardClass" | "eventTicketClass" | "offerClass" | "genericClass";
export type GoogleObjectType = "loyaltyObject" | "giftCardObject" | "eventTicketObject" | "offerObject" | "genericObject";
export type GoogleObjectState = "ACTIVE" | "COMPLETED" | "EXPIRED" | "INACTIVE";

export interface GoogleClassResource {
  id: string;
  [field: string]: unknown;
}

export interface GoogleObjectResource {
  id: string;
  classId: string;
  state: GoogleObjectState;
  [field: string]: unknown;
}

export interface GoogleResources {
  classType: GoogleClassType;
  objectType: GoogleObjectType;
  classResource: GoogleClassResource;
  objectResource: GoogleObjectResource;
}

/** The input cannot be expressed as Google resources (e.g. a balance too large for int64 micros). */
export class GoogleMappingError extends Error {
  override name = "GoogleMappingError";
}

const KINDS: Record<TemplateType, { classType: GoogleClassType; objectType: GoogleObjectType }> = {
  loyalty: { classType: "loyaltyClass", objectType: "loyaltyObject" },
  gift_card: { classType: "giftCardClass", objectType: "giftCardObject" },
  event_ticket: { classType: "eventTicketClass", objectType: "eventTicketObject" },
  coupon: { classType: "offerClass", objectType: "offerObject" },
  membership: { classType: "genericClass", objectType: "genericObject" },
  generic: { classType: "genericClass", objectType: "genericObject" },
};

const STATES: Record<PassStatus, GoogleObjectState> = {
  active: "ACTIVE",
  checked_in: "ACTIVE",
  redeemed: "COMPLETED",
  expired: "EXPIRED",
  voided: "INACTIVE",
};

const BARCODE_TYPES: Record<BarcodeFormat, string> = {
  qr: "QR_CODE",
  pdf417: "PDF_417",
  aztec: "AZTEC",
  code128: "CODE_128",
};

/**
 * The pass values each kind of Google object shows in fields of its own; the template's other
 * fields become texts. Every object shows the serial number under its barcode.
 */
export function shownByGoogle(type: TemplateType, stampGoal: number | null): FieldValue[] {
  switch (type) {
    case "loyalty":
      return ["serial_number", "customer_name", stampGoal ? "stamps" : "points"];
    case "gift_card":
      return ["serial_number", "balance"];
    case "event_ticket":
      return ["serial_number", "customer_name", "event_name", "event_venue", "event_starts_at"];
    case "coupon":
      return ["serial_number", "expires_at"];
    case "membership":
    case "generic":
      return ["serial_number", "customer_name"];
  }
}

/** Google shows at most this many texts from an object. */
const MAX_TEXTS = 10;

/** Google ids: `{issuerId}.{suffix}`, the suffix limited to letters, digits, `.`, `_` and `-`. */
export const googleIdSuffix = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, "_");
export const googleClassId = (issuerId: string, templateId: string) => `${issuerId}.${googleIdSuffix(templateId)}`;
export const googleObjectId = (issuerId: string, serialNumber: string) => `${issuerId}.${googleIdSuffix(serialNumber)}`;

const localized = (value: string) => ({ defaultValue: { language: "en", value } });
const image = (uri: string, description: string) => ({ sourceUri: { uri }, contentDescription: localized(description) });

function hexColor(value: string | null | undefined): string | undefined {
  return value && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value.toLowerCase() : undefined;
}

/** ISO 8601 with an explicit UTC offset and whole seconds, as Google's DateTime wants. */
function isoDateTime(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GoogleMappingError(`Not a date-time: ${value}`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Decimal text of a finite number, never in exponent form (1e-7 → "0.0000001"). */
function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new GoogleMappingError(`Not a finite amount: ${value}`);
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, "") : text;
}

const INT64_MAX = 2n ** 63n - 1n;

/** Google's Money.micros is an int64, which proto3 JSON writes as a decimal string: exact past 2^53. */
function int64Micros(micros: bigint): string {
  if (micros > INT64_MAX || micros < -INT64_MAX - 1n) throw new GoogleMappingError("Balance is too large to express in micros");
  return micros.toString();
}

/** Integer minor units → micros by integer scaling: 10470 (2 decimals) → "104700000". */
export function minorToMicros(minor: number, decimals: number): string {
  if (!Number.isSafeInteger(minor)) throw new GoogleMappingError(`Minor units must be an integer, got ${minor}`);
  if (decimals > 6) throw new GoogleMappingError("Currencies with more than 6 decimals cannot be expressed in micros");
  return int64Micros(BigInt(minor) * 10n ** BigInt(6 - decimals));
}

/**
 * Major units → micros from the number's decimal text, without multiplying floats:
 * 104.7 → "104" and "7" → "104700000" (104.7 * 1e6 would be 104699999.99999999).
 * Digits past the sixth decimal round half away from zero.
 */
export function majorToMicros(amount: number): string {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(plainDecimal(amount));
  if (!match) throw new GoogleMappingError(`Not an amount: ${amount}`);
  const [, sign, whole = "0", fraction = ""] = match;
  let micros = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, "0"));
  if ((fraction[6] ?? "0") >= "5") micros += 1n;
  return int64Micros(sign ? -micros : micros);
}

function giftCardBalance(pass: GooglePassInput): { micros: string; currencyCode: string } | undefined {
  const currency = pass.currency?.toUpperCase();
  if (!currency) return undefined;
  if (typeof pass.balanceMinor === "number") {
    if (!isCurrency(currency)) throw new GoogleMappingError(`Unknown currency ${currency}`);
    return { micros: minorToMicros(pass.balanceMinor, currencyDecimals(currency)), currencyCode: currency };
  }
  if (typeof pass.balance === "number") return { micros: majorToMicros(pass.balance), currencyCode: currency };
  return undefined;
}

function defined<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

const heroImage = (template: GoogleTemplateInput) => (template.heroImageUrl ? image(template.heroImageUrl, template.name) : undefined);

function classResource(classType: GoogleClassType, id: string, template: GoogleTemplateInput): GoogleClassResource {
  const color = hexColor(template.colors.background);
  const common = {
    id,
    ...(template.description ? { textModulesData: [{ id: "description", header: "About", body: template.description }] } : {}),
    ...(template.callbackUrl ? { callbackOptions: { url: template.callbackUrl } } : {}),
  };
  const reviewed = {
    issuerName: template.organizationName,
    reviewStatus: "UNDER_REVIEW",
    hexBackgroundColor: color,
    heroImage: heroImage(template),
  };
  switch (classType) {
    case "loyaltyClass":
      return defined({
        ...common,
        ...reviewed,
        programName: template.name,
        programLogo: template.logoUrl ? image(template.logoUrl, template.organizationName) : undefined,
      });
    case "giftCardClass":
      return defined({
        ...common,
        ...reviewed,
        merchantName: template.organizationName,
        programLogo: template.logoUrl ? image(template.logoUrl, template.organizationName) : undefined,
      });
    case "eventTicketClass":
      return defined({
        ...common,
        ...reviewed,
        eventName: localized(template.eventName || template.name),
        // PassLite knows the venue's name only; repeating it as the address would show it twice.
        venue: template.venue ? { name: localized(template.venue) } : undefined,
        dateTime: template.eventStart ? { start: template.eventStart } : undefined,
        logo: template.logoUrl ? image(template.logoUrl, template.organizationName) : undefined,
      });
    case "offerClass":
      return defined({
        ...common,
        ...reviewed,
        title: template.name,
        provider: template.organizationName,
        // A coupon's barcode is scanned at the business's till.
        redemptionChannel: "INSTORE",
        titleImage: template.logoUrl ? image(template.logoUrl, template.organizationName) : undefined,
      });
    case "genericClass":
      // Generic classes carry no issuer name, review status, colour or images: those live on the object.
      return common;
  }
}

function objectResource(
  objectType: GoogleObjectType,
  ids: { id: string; classId: string },
  template: GoogleTemplateInput,
  pass: GooglePassInput,
): GoogleObjectResource {
  const base = defined({
    ...ids,
    state: STATES[pass.status],
    barcode: defined({
      type: BARCODE_TYPES[pass.barcode.format],
      value: pass.barcode.value,
      alternateText: pass.barcode.altText || undefined,
    }),
    validTimeInterval: pass.expiresAt ? { end: { date: isoDateTime(pass.expiresAt) } } : undefined,
  });
  const texts = (first: GoogleText[] = []) => {
    const all = [...first, ...(pass.texts ?? [])].slice(0, MAX_TEXTS);
    return all.length > 0 ? all : undefined;
  };
  switch (objectType) {
    case "loyaltyObject":
      return defined({
        ...base,
        accountId: pass.serialNumber,
        accountName: pass.customerName || undefined,
        loyaltyPoints: pass.stampGoal
          ? { label: "Stamps", balance: { int: pass.stamps } }
          : { label: "Points", balance: { int: pass.points } },
        textModulesData: texts(),
      });
    case "giftCardObject":
      return defined({ ...base, cardNumber: pass.serialNumber, balance: giftCardBalance(pass), textModulesData: texts() });
    case "eventTicketObject":
      return defined({
        ...base,
        ticketNumber: pass.serialNumber,
        ticketHolderName: pass.customerName || undefined,
        textModulesData: texts(),
      });
    case "offerObject":
      return defined({ ...base, textModulesData: texts() });
    case "genericObject": {
      const textModulesData = texts(template.description ? [{ id: "description", header: "Details", body: template.description }] : []);
      return defined({
        ...base,
        cardTitle: localized(template.organizationName),
        header: localized(pass.customerName || template.name),
        subheader: pass.customerName ? localized(template.name) : undefined,
        hexBackgroundColor: hexColor(template.colors.background),
        logo: template.logoUrl ? image(template.logoUrl, template.organizationName) : undefined,
        heroImage: heroImage(template),
        textModulesData,
      });
    }
  }
}

export type GoogleClass = Pick<GoogleResources, "classType" | "classResource">;

/** The Google class of a template: what a template (or business) edit updates once for all its passes. */
export function googleClassFor(issuerId: string, template: GoogleTemplateInput): GoogleClass {
  const kind = KINDS[template.type];
  if (!kind) throw new GoogleMappingError(`Unknown template type ${String(template.type)}`);
  return { classType: kind.classType, classResource: classResource(kind.classType, googleClassId(issuerId, template.id), template) };
}

/** An object named by id: what a save link carries once the object exists (made through the REST API). */
export interface GoogleObjectRef {
  objectType: GoogleObjectType;
  id: string;
  classId: string;
}

export function googleObjectRef(
  issuerId: string,
  template: Pick<GoogleTemplateInput, "id" | "type">,
  serialNumber: string,
): GoogleObjectRef {
  return {
    objectType: KINDS[template.type].objectType,
    id: googleObjectId(issuerId, serialNumber),
    classId: googleClassId(issuerId, template.id),
  };
}

/** The Google class and object for one pass of one template. */
export function googleResourcesFor(issuerId: string, template: GoogleTemplateInput, pass: GooglePassInput): GoogleResources {
  const googleClass = googleClassFor(issuerId, template);
  const objectType = KINDS[template.type].objectType;
  const ids = { id: googleObjectId(issuerId, pass.serialNumber), classId: googleClass.classResource.id };
  return { ...googleClass, objectType, objectResource: objectResource(objectType, ids, template, pass) };
}

// PassLite's pass description → Apple's pass.json (https://developer.apple.com/documentation/walletpasses/pass).
import { formatRgbColor, parseHexColor } from "./colors";

export type ApplePassStyle = "storeCard" | "eventTicket" | "coupon" | "generic";

import type { BarcodeFormat } from "../../domain/enums";

export interface ApplePassField {
  key: string;
  label?: string;
  value: string | number;
  /** Shown in the update notification; must contain "%@" for the new value. */
  changeMessage?: string;
  /** ISO 4217; makes Wallet format a numeric value as money. */
  currencyCode?: string;
  /** For a W3C date `value`: Wallet formats it in the reader's locale instead of showing the text. */
  dateStyle?: AppleDateStyle;
  timeStyle?: AppleDateStyle;
  /** Show the time as written (its own offset), not converted to the phone's time zone. */
  ignoresTimeZone?: boolean;
}

export type AppleDateStyle = "PKDateStyleNone" | "PKDateStyleShort" | "PKDateStyleMedium" | "PKDateStyleLong" | "PKDateStyleFull";

export interface ApplePassInput {
  passTypeIdentifier: string;
  teamIdentifier: string;
  serialNumber: string;
  organizationName: string;
  description: string;
  style: ApplePassStyle;
  /** "#rrggbb" (or "#rgb"). */
  colors: { background?: string; foreground?: string; label?: string };
  fields: {
    header: ApplePassField[];
    primary: ApplePassField[];
    secondary: ApplePassField[];
    auxiliary: ApplePassField[];
    back: ApplePassField[];
  };
  barcode: { format: BarcodeFormat; message: string; altText?: string };
  nfc?: { message: string; encryptionPublicKey: string };
  webServiceURL: string;
  authenticationToken: string;
  /** W3C timestamps (whole seconds, with a time zone). */
  expirationDate?: string;
  voided?: boolean;
  relevantDate?: string;
}

export type PassJsonField = ApplePassField;

export interface PassJsonBarcode {
  format: string;
  message: string;
  messageEncoding: string;
  altText?: string;
}

type StyleFields = Record<"headerFields" | "primaryFields" | "secondaryFields" | "auxiliaryFields" | "backFields", PassJsonField[]>;

export interface PassJson {
  formatVersion: 1;
  passTypeIdentifier: string;
  teamIdentifier: string;
  serialNumber: string;
  organizationName: string;
  description: string;
  webServiceURL: string;
  authenticationToken: string;
  backgroundColor?: string;
  foregroundColor?: string;
  labelColor?: string;
  barcodes: PassJsonBarcode[];
  barcode?: PassJsonBarcode;
  nfc?: { message: string; encryptionPublicKey: string };
  expirationDate?: string;
  /** Read by iOS < 18. */
  relevantDate?: string;
  /** iOS 18 and later. iOS 18 read each entry's `relevantDate`; Apple's reference now names it `date`: both are written. */
  relevantDates?: Array<{ date: string; relevantDate: string }>;
  voided?: true;
  storeCard?: StyleFields;
  eventTicket?: StyleFields;
  coupon?: StyleFields;
  generic?: StyleFields;
}

const BARCODE_FORMATS: Record<BarcodeFormat, string> = {
  qr: "PKBarcodeFormatQR",
  pdf417: "PKBarcodeFormatPDF417",
  aztec: "PKBarcodeFormatAztec",
  code128: "PKBarcodeFormatCode128",
};

export function buildPassJson(input: ApplePassInput): PassJson {
  const barcode = passBarcode(input.barcode);
  return {
    formatVersion: 1,
    passTypeIdentifier: input.passTypeIdentifier,
    teamIdentifier: input.teamIdentifier,
    serialNumber: input.serialNumber,
    organizationName: input.organizationName,
    description: input.description,
    webServiceURL: input.webServiceURL,
    authenticationToken: input.authenticationToken,
    ...color("backgroundColor", input.colors.background),
    ...color("foregroundColor", input.colors.foreground),
    ...color("labelColor", input.colors.label),
    barcodes: [barcode],
    // The pre-iOS 9 key; it never supported Code 128, so those passes go without it.
    ...(input.barcode.format === "code128" ? {} : { barcode }),
    ...(input.nfc ? { nfc: { message: input.nfc.message, encryptionPublicKey: input.nfc.encryptionPublicKey } } : {}),
    ...(input.expirationDate ? { expirationDate: input.expirationDate } : {}),
    ...(input.relevantDate
      ? { relevantDate: input.relevantDate, relevantDates: [{ date: input.relevantDate, relevantDate: input.relevantDate }] }
      : {}),
    ...(input.voided ? { voided: true as const } : {}),
    [input.style]: {
      headerFields: input.fields.header.map(passField),
      primaryFields: input.fields.primary.map(passField),
      secondaryFields: input.fields.secondary.map(passField),
      auxiliaryFields: input.fields.auxiliary.map(passField),
      backFields: input.fields.back.map(passField),
    },
  };
}

function passBarcode({ format, message, altText }: ApplePassInput["barcode"]): PassJsonBarcode {
  // Wallet encodes the message in this charset; Latin-1 is Apple's default, anything beyond it needs UTF-8.
  const messageEncoding = [...message].every((ch) => ch.charCodeAt(0) <= 0xff) ? "iso-8859-1" : "utf-8";
  return { format: BARCODE_FORMATS[format], message, messageEncoding, ...(altText ? { altText } : {}) };
}

function passField(field: ApplePassField): PassJsonField {
  return {
    key: field.key,
    ...(field.label !== undefined ? { label: field.label } : {}),
    value: field.value,
    ...(field.changeMessage ? { changeMessage: field.changeMessage } : {}),
    ...(field.currencyCode ? { currencyCode: field.currencyCode } : {}),
    ...(field.dateStyle ? { dateStyle: field.dateStyle } : {}),
    ...(field.timeStyle ? { timeStyle: field.timeStyle } : {}),
    ...(field.ignoresTimeZone ? { ignoresTimeZone: true } : {}),
  };
}

function color<K extends string>(key: K, hex: string | undefined): Partial<Record<K, string>> {
  if (hex === undefined) return {};
  const rgb = parseHexColor(hex);
  if (!rgb) throw new TypeError(`${key}: expected "#rrggbb", got ${JSON.stringify(hex)}`);
  return { [key]: formatRgbColor(rgb) } as Partial<Record<K, string>>;
}

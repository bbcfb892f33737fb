import { ApiError } from "../lib/errors";

// ISO 4217 active codes by their number of minor-unit digits (everything not listed has 2).
const ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND";
const FOUR_DECIMALS = "CLF UYW";
const TWO_DECIMALS =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW " +
  "CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF " +
  "IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV " +
  "MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD " +
  "SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";

const DECIMALS = new Map<string, number>();
for (const [codes, digits] of [
  [ZERO_DECIMALS, 0],
  [TWO_DECIMALS, 2],
  [THREE_DECIMALS, 3],
  [FOUR_DECIMALS, 4],
] as const) {
  for (const code of codes.split(" ")) DECIMALS.set(code, digits);
}

/** What an ISO 4217 code looks like; `isCurrency` says whether it is an active one. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export function isCurrency(code: string): boolean {
  return DECIMALS.has(code);
}

export function currencyDecimals(currency: string): number {
  const digits = DECIMALS.get(currency);
  if (digits === undefined) throw new ApiError("validation_error", `Unknown currency ${currency}`);
  return digits;
}

/**
 * Converts a major-unit amount given by a client (a number or a decimal string) to integer
 * minor units without floating-point arithmetic: the decimal text is split, never multiplied.
 */
export function toMinorUnits(amount: number | string, currency: string, field = "amount"): number {
  const digits = currencyDecimals(currency);
  const text = typeof amount === "number" ? numberToPlainString(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match)
    throw new ApiError("validation_error", `${field} must be a number`, {
      fields: [{ path: field, message: "Expected a decimal number" }],
    });
  const [, sign, whole, fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > digits) {
    const message = `${field} has more decimal places than ${currency} allows (${digits})`;
    throw new ApiError("validation_error", message, { fields: [{ path: field, message }] });
  }
  const minor = Number(whole) * 10 ** digits + Number(trimmed.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor))
    throw new ApiError("validation_error", `${field} is too large`, { fields: [{ path: field, message: "Too large" }] });
  return sign ? -minor : minor;
}

/** Minor units back to a JSON number in major units: 8500 GBP → 85, 470 → 4.7. */
export function toMajorUnits(minor: number, currency: string): number {
  const digits = currencyDecimals(currency);
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const scale = 10 ** digits;
  const text = `${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, "0")}`;
  return (negative ? -1 : 1) * Number(text);
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) return "NaN";
  // Shortest round-trip representation, expanded out of exponent form (1e-7 → 0.0000001).
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, "");
}

/** Minor units as people read money in that currency: 7000 GBP → "£70.00", 1500 JPY → "¥1,500". */
export function formatMoney(minor: number, currency: string, locale = "en-GB"): string {
  const digits = currencyDecimals(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toMajorUnits(minor, currency));
}

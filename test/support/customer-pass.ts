import type { CustomerPassView } from "../../src/domain/customer-access/passes";

/** A customer's 4-of-10 loyalty card as /my-passes and the emails receive it; override what a test is about. */
export function customerPassView(overrides: Partial<CustomerPassView> = {}): CustomerPassView {
  return {
    id: "pass_1",
    serial_number: "PL-AAAAA-BBBBB-CCCCC",
    business_id: "biz_1",
    business_name: "Bean There",
    template_name: "Coffee card",
    title: "Coffee card",
    type: "loyalty",
    status: "active",
    stamps: 4,
    stamp_goal: 10,
    points: 0,
    balance: null,
    balance_formatted: null,
    currency: null,
    expires_at: null,
    colors: { background: "#1e40af", foreground: "#ffffff" },
    download_url: "https://api.passlite.test/pass/PL-AAAAA-BBBBB-CCCCC/tok",
    apple_wallet_url: "https://api.passlite.test/pass/PL-AAAAA-BBBBB-CCCCC/tok?format=pkpass",
    google_wallet_url: null,
    ...overrides,
  };
}

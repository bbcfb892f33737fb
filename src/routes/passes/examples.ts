// The PassLite API reference's examples, completed with the fields PassLite returns besides
// them, so /docs shows merchants the same requests and answers as the reference
// (test/routes/docs.test.ts checks each against the schema it illustrates).
import type { PassView } from "../../domain/passes/present";

export const ISSUE_PASS_EXAMPLE = {
  template_id: "tpl_loyalty_gold",
  customer_name: "Jane Doe",
  customer_email: "jane@example.com",
  external_id: "cust_9821",
};

/** "Get a Pass" in the reference. */
export const PASS_EXAMPLE: PassView = {
  id: "pass_abc123",
  serial_number: "PL-00042",
  template_id: "tpl_loyalty_gold",
  customer_name: "Jane Doe",
  customer_email: "jane@example.com",
  external_id: "cust_9821",
  status: "active",
  points: 150,
  balance: null,
  currency: null,
  stamps: 3,
  metadata: { tier: "gold" },
  barcode_data: null,
  nfc_data: null,
  download_url: "https://api.passlite.io/pass/PL-00042/7k3m9xq2d4hv8c1n5r0t6w2yb9f3g7jp",
  expires_at: null,
  checked_in_at: null,
  redeemed_at: null,
  voided_at: null,
  reactivated_at: null,
  created_at: "2026-04-07T10:30:00.000Z",
  updated_at: "2026-04-07T14:22:00.000Z",
};

export const passExample = (changes: Partial<PassView>): PassView => ({ ...PASS_EXAMPLE, ...changes });

/** "Issue a Pass": a new pass starts empty. */
export const ISSUED_PASS_EXAMPLE = passExample({ points: 0, stamps: 0, metadata: {}, updated_at: PASS_EXAMPLE.created_at });

/** "By Email": every pass the address holds. */
export const EMAIL_LOOKUP_EXAMPLE = [
  PASS_EXAMPLE,
  passExample({
    id: "pass_def456",
    serial_number: "PL-00099",
    external_id: null,
    status: "redeemed",
    download_url: "https://api.passlite.io/pass/PL-00099/3n8q2w7e5r1t9y4a6b0v2c8x5z7m1k3h",
    redeemed_at: "2026-04-06T18:05:00.000Z",
  }),
];

/** A gift card after a charge or top-up ("Charge Balance", "Top Up Balance"). */
export const giftCardExample = (balance: number) => passExample({ currency: "GBP", balance, points: 0, stamps: 0, metadata: {} });

export const BULK_ISSUE_EXAMPLE = {
  passes: [
    ISSUE_PASS_EXAMPLE,
    { template_id: "tpl_loyalty_gold", customer_name: "John Smith", customer_email: "john@example.com", external_id: "cust_9822" },
  ],
};

/** "Response (partial success)". */
export const BULK_ISSUE_RESULT_EXAMPLE = {
  total: 2,
  succeeded: 1,
  failed: 1,
  results: [
    { index: 0, status: "created", pass: { id: "pass_abc123", serial_number: "PL-00042", download_url: PASS_EXAMPLE.download_url } },
    { index: 1, status: "error", error: { code: "duplicate_external_id", message: "external_id cust_9822 already exists" } },
  ],
};

export const UPDATE_PASS_EXAMPLE = { customer_name: "Jane Smith", metadata: { tier: "platinum" } };

export const BULK_UPDATE_EXAMPLE = {
  passes: [
    { identifier: "pass_abc123", points: 200 },
    { identifier: "cust_9822", metadata: { tier: "silver" } },
  ],
};

export const BULK_UPDATE_RESULT_EXAMPLE = {
  total: 2,
  succeeded: 2,
  failed: 0,
  results: [
    { index: 0, status: "updated", pass: { id: "pass_abc123", serial_number: "PL-00042" } },
    { index: 1, status: "updated", pass: { id: "pass_def456", serial_number: "PL-00099" } },
  ],
};

/** A stamp's entry in the pass's history: a snapshot of the pass after the change, plus the change. */
export const PASS_EVENT_EXAMPLE = {
  id: "evt_abc123",
  type: "pass.updated",
  created_at: "2026-04-07T14:22:00.000Z",
  data: {
    id: "pass_abc123",
    serial_number: "PL-00042",
    business_id: "biz_123",
    template_id: "tpl_loyalty_gold",
    external_id: "cust_9821",
    status: "active",
    points: 150,
    stamps: 3,
    balance: null,
    currency: null,
    version: 4,
    expires_at: null,
    action: "stamp",
    count: 1,
  },
};

/** One page of a list, the last. */
export const pageExample = <T>(item: T) => ({ data: [item], has_more: false, next_cursor: null });

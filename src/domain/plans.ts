import { PlanLimitError } from "../lib/errors";
import type { Plan } from "../types";

/** The reference's plan table. Counted limits apply to live-mode objects only. */
export const PLANS = {
  free: {
    limits: { templates: 1, issued_passes: 100, campaigns: 1, reward_milestones: 1, webhooks: 1 },
    features: { api_access: false, automations: false, bulk_operations: false, analytics_export: false, online_payments: false },
  },
  pro: {
    limits: { templates: Infinity, issued_passes: Infinity, campaigns: Infinity, reward_milestones: Infinity, webhooks: 20 },
    features: { api_access: true, automations: true, bulk_operations: true, analytics_export: true, online_payments: true },
  },
} as const;

export type Feature = keyof (typeof PLANS)["free"]["features"];
export type CountedLimit = keyof (typeof PLANS)["free"]["limits"];

const FEATURE_NAMES: Record<Feature, string> = {
  api_access: "API access",
  automations: "Automations",
  bulk_operations: "Bulk operations",
  analytics_export: "Analytics export",
  online_payments: "Online payments",
};

const LIMIT_NAMES: Record<CountedLimit, [singular: string, plural: string]> = {
  templates: ["template", "templates"],
  issued_passes: ["issued pass", "issued passes"],
  campaigns: ["campaign", "campaigns"],
  reward_milestones: ["reward milestone", "reward milestones"],
  webhooks: ["webhook", "webhooks"],
};

export function assertFeature(plan: Plan, feature: Feature): void {
  if (PLANS[plan].features[feature]) return;
  throw new PlanLimitError(feature, plan, `${FEATURE_NAMES[feature]} is a PRO feature. Upgrade to unlock.`);
}

export function limitReached(plan: Plan, limit: CountedLimit): PlanLimitError {
  const max = PLANS[plan].limits[limit];
  const [singular, plural] = LIMIT_NAMES[limit];
  const upgrade = plan === "free" ? " Upgrade to PRO to unlock more." : "";
  return new PlanLimitError(
    limit,
    plan,
    `Your ${plan === "free" ? "Free" : "Pro"} plan includes ${max} ${max === 1 ? singular : plural}.${upgrade}`,
  );
}

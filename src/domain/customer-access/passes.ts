import type { Config } from "../../config";
import { type BusinessRow, toBusinessRow } from "../../db/businesses";
import { businessesOfCustomer } from "../../db/customer-emails";
import { generationOf } from "../../db/customer-generations";
import type { DataContext } from "../../db/data-context";
import { findLivePassesByEmailAcross, type PassRow } from "../../db/passes";
import { findTemplatesByIds } from "../../db/templates";
import { chunk } from "../../lib/chunk";
import { brandColor, organizationName, type PassContext, passDescription } from "../../wallet/content";
import { googleSaveUrl } from "../../wallet/google/links";
import { normaliseEmail } from "../auth/accounts";
import { customerEmailHash } from "../customers";
import { formatMoney, toMajorUnits } from "../money";
import { downloadUrl, effectiveStatus } from "../passes/present";
import { checkCustomerToken } from "./token";

/** Who a valid customer token speaks for, and the businesses the email index names for them. */
export interface CustomerSession {
  email: string;
  emailHash: string;
  /** Unix seconds: when the sign-in link stops working. */
  expiresAt: number;
  businesses: BusinessRow[];
}

export type CustomerAuthentication =
  | { ok: true; session: CustomerSession }
  | { ok: false; reason: "expired"; email: string | null }
  | { ok: false; reason: "invalid" | "revoked" };

/**
 * A customer token, checked through and through: signature, audience and expiry, then that its
 * generation is still the email's (one control-database batch, which also reads the businesses
 * the email index names for the email, so a valid token costs no second round trip).
 */
export async function authenticateCustomer(
  data: DataContext,
  secret: string,
  token: string,
  now = Date.now(),
): Promise<CustomerAuthentication> {
  const check = await checkCustomerToken(secret, token, now);
  if (!check.ok) return check;
  const email = normaliseEmail(check.claims.email);
  const emailHash = await customerEmailHash(email);
  const [generation, businesses] = await data.control.$client.batch([
    generationOf(data.control, emailHash),
    businessesOfCustomer(data.control, emailHash),
  ]);
  const current = (generation!.results[0] as { generation: number }).generation;
  if (current !== check.claims.generation) return { ok: false, reason: "revoked" };
  const rows = (businesses!.results as Record<string, unknown>[]).map(toBusinessRow);
  return { ok: true, session: { email, emailHash, expiresAt: check.expiresAt, businesses: rows } };
}

/**
 * Every live pass the email holds, in every business the index names: grouped by the shard each
 * business lives on, one query per shard. Test-mode passes are never indexed and never read.
 */
export async function livePassesOf(data: DataContext, email: string, businesses: BusinessRow[]): Promise<PassContext[]> {
  const byShard = new Map<string, BusinessRow[]>();
  for (const business of businesses) byShard.set(business.shard, [...(byShard.get(business.shard) ?? []), business]);
  const perShard = await Promise.all(
    [...byShard].map(async ([shard, members]) => {
      const tenant = data.tenant(shard);
      const passes: PassRow[] = [];
      for (const ids of chunk(
        members.map((b) => b.id),
        90,
      ))
        passes.push(...(await findLivePassesByEmailAcross(tenant.db, ids, email)));
      const templateIds = [...new Set(passes.map((p) => p.template_id))];
      const templates = new Map(
        (await Promise.all(chunk(templateIds, 90).map((ids) => findTemplatesByIds(tenant.db, ids)))).flat().map((t) => [t.id, t]),
      );
      const businessById = new Map(members.map((b) => [b.id, b]));
      return passes.flatMap((pass): PassContext[] => {
        const template = templates.get(pass.template_id);
        const business = businessById.get(pass.business_id);
        return template && business ? [{ business, template, design: template.design, pass }] : [];
      });
    }),
  );
  return perShard.flat();
}

/** Whether anything should be mailed for this email: the index is a superset, so the shards are asked. */
export async function holdsLivePasses(data: DataContext, email: string): Promise<boolean> {
  const { results } = await businessesOfCustomer(data.control, await customerEmailHash(email)).all<Record<string, unknown>>();
  if (results.length === 0) return false;
  return (await livePassesOf(data, normaliseEmail(email), results.map(toBusinessRow))).length > 0;
}

/** A pass as its holder sees it at /my-passes and in the customer API: values formatted, links ready. */
export async function presentCustomerPass(config: Config, ctx: PassContext) {
  const { pass, template, design } = ctx;
  const balance = pass.balance_minor !== null && pass.currency ? pass.balance_minor : null;
  return {
    id: pass.id,
    serial_number: pass.serial_number,
    business_id: ctx.business.id,
    business_name: organizationName(ctx),
    template_name: template.name,
    title: passDescription(ctx),
    type: template.type,
    status: effectiveStatus(pass),
    stamps: pass.stamps,
    stamp_goal: design.stamp_goal,
    points: pass.points,
    balance: balance === null ? null : toMajorUnits(balance, pass.currency!),
    balance_formatted: balance === null ? null : formatMoney(balance, pass.currency!),
    currency: pass.currency,
    expires_at: pass.expires_at,
    colors: { background: brandColor(ctx, "background") ?? null, foreground: brandColor(ctx, "foreground") ?? null },
    download_url: downloadUrl(config.API_ORIGIN, pass),
    apple_wallet_url: `${downloadUrl(config.API_ORIGIN, pass)}?format=pkpass`,
    google_wallet_url: await googleSaveUrl(config, ctx),
  };
}

export type CustomerPassView = Awaited<ReturnType<typeof presentCustomerPass>>;

/** The session's passes, business by business (as the customer reads them), newest first within each. */
export async function customerPasses(data: DataContext, config: Config, session: CustomerSession): Promise<CustomerPassView[]> {
  const contexts = await livePassesOf(data, session.email, session.businesses);
  const views = await Promise.all(contexts.map((ctx) => presentCustomerPass(config, ctx)));
  return views.sort((a, b) => a.business_name.localeCompare(b.business_name) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

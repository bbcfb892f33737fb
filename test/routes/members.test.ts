import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bearer, joinAs, request, type Session, setPlan, signUp, uniqueEmail } from "../support/api";

async function invite(owner: Session, email: string, role: string) {
  return request(`/businesses/${owner.business.id}/members`, { method: "POST", headers: bearer(owner), json: { email, role } });
}

describe("members and roles", () => {
  it("invites someone without an account, who accepts and lands in the business", async () => {
    const owner = await signUp();
    const email = uniqueEmail("new");
    const res = await invite(owner, email, "staff");
    expect(res.status).toBe(201);
    const member = await res.json<Record<string, string>>();
    expect(member).toMatchObject({ email, role: "staff", status: "invited" });
    expect(member.invite_token).toMatch(/^inv_/);

    const accepted = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: member.invite_token, password: "staff password 1" },
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ user: { email }, business: { id: owner.business.id } });

    const again = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: member.invite_token, password: "staff password 1" },
    });
    expect(again.status).toBe(404);

    const login = await request("/auth/login", { method: "POST", json: { email, password: "staff password 1" } });
    expect(await login.json()).toMatchObject({ business: { id: owner.business.id } });
  });

  it("an existing account is invited like anyone: pending, with the same answer, until it accepts from its own session", async () => {
    const owner = await signUp();
    const other = await signUp();
    const newcomer = uniqueEmail("newcomer");
    const toExisting = await (await invite(owner, other.user.email, "admin")).json<Record<string, string>>();
    const toNew = await (await invite(owner, newcomer, "admin")).json<Record<string, string>>();
    // Nothing in the answer says which email has an account.
    expect(Object.keys(toExisting).sort()).toEqual(Object.keys(toNew).sort());
    expect(toExisting).toMatchObject({ status: "invited", role: "admin" });
    expect(Date.parse(toExisting.expires_at!) - Date.parse(toExisting.created_at!)).toBe(7 * 24 * 60 * 60 * 1000);
    expect((await invite(owner, other.user.email, "staff")).status).toBe(409);

    // Not a member yet: signing in to the business is refused.
    const early = await request("/auth/login", {
      method: "POST",
      json: { email: other.user.email, password: "correct horse battery", business_id: owner.business.id },
    });
    expect(early.status).toBe(403);

    // The token alone does not make an existing account a member; nor does someone else's session.
    const anonymous = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: toExisting.invite_token, password: "whatever 123" },
    });
    expect(anonymous.status).toBe(401);
    const stranger = await signUp();
    const wrongUser = await request("/auth/accept-invite", {
      method: "POST",
      headers: bearer(stranger),
      json: { token: toExisting.invite_token },
    });
    expect(wrongUser.status).toBe(403);

    const accepted = await request("/auth/accept-invite", {
      method: "POST",
      headers: bearer(other),
      json: { token: toExisting.invite_token },
    });
    expect(accepted.status).toBe(200);
    const joined = await accepted.json<Session>();
    expect(joined).toMatchObject({ user: { id: other.user.id }, business: { id: owner.business.id } });
    expect((await request(`/businesses/${owner.business.id}/api-keys`, { headers: bearer(joined) })).status).toBe(200);
    const members = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ email: string; status: string }>;
    }>();
    expect(members.data.find((m) => m.email === other.user.email)?.status).toBe("active");
  });

  it("invitations expire after 7 days, can be revoked, and an expired one can be sent again", async () => {
    const owner = await signUp();
    const email = uniqueEmail("late");
    const first = await (await invite(owner, email, "staff")).json<Record<string, string>>();
    await env.DB.prepare("UPDATE memberships SET invite_expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), first.id)
      .run();
    const late = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: first.invite_token, password: "staff password 1" },
    });
    expect(late.status).toBe(404);
    const listed = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ id: string; status: string }>;
    }>();
    expect(listed.data.find((m) => m.id === first.id)?.status).toBe("expired");

    const second = await (await invite(owner, email, "staff")).json<Record<string, string>>();
    expect(second.status).toBe("invited");
    expect(
      (await request(`/businesses/${owner.business.id}/members/${second.id}`, { method: "DELETE", headers: bearer(owner) })).status,
    ).toBe(204);
    const revoked = await request("/auth/accept-invite", {
      method: "POST",
      json: { token: second.invite_token, password: "staff password 1" },
    });
    expect(revoked.status).toBe(404);
  });

  it("a new account needs a password to accept", async () => {
    const owner = await signUp();
    const { invite_token } = await (await invite(owner, uniqueEmail("nopass"), "staff")).json<{ invite_token: string }>();
    const res = await request("/auth/accept-invite", { method: "POST", json: { token: invite_token } });
    expect(res.status).toBe(422);
    expect((await res.json<{ error: { fields: Array<{ path: string }> } }>()).error.fields[0]!.path).toBe("password");
  });

  it("keeps staff to scanning and reading: no keys, members or settings", async () => {
    const owner = await signUp();
    const staff = await joinAs(owner, "staff");
    const biz = owner.business.id;
    const attempts = [
      request(`/businesses/${biz}/api-keys`, { method: "POST", headers: bearer(staff), json: { name: "x", mode: "live" } }),
      request(`/businesses/${biz}/api-keys`, { headers: bearer(staff) }),
      request(`/businesses/${biz}/members`, { method: "POST", headers: bearer(staff), json: { email: uniqueEmail(), role: "staff" } }),
      request("/businesses/me", { method: "PATCH", headers: bearer(staff), json: { name: "Mine now" } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("forbidden");
    }
    expect((await request("/businesses/me", { headers: bearer(staff) })).status).toBe(200);
  });

  it("lets admins manage keys but not members", async () => {
    const owner = await signUp();
    const admin = await joinAs(owner, "admin");
    const biz = owner.business.id;
    await setPlan(biz, "pro");
    expect(
      (await request(`/businesses/${biz}/api-keys`, { method: "POST", headers: bearer(admin), json: { name: "x", mode: "test" } })).status,
    ).toBe(201);
    expect((await request(`/businesses/${biz}/members`, { headers: bearer(admin) })).status).toBe(403);
  });

  it("lists members and never removes the last owner", async () => {
    const owner = await signUp();
    await joinAs(owner, "staff");
    const list = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ id: string; role: string }>;
    }>();
    expect(list.data.map((m) => m.role)).toEqual(["owner", "staff"]);
    const ownerMember = list.data[0]!;
    const res = await request(`/businesses/${owner.business.id}/members/${ownerMember.id}`, { method: "DELETE", headers: bearer(owner) });
    expect(res.status).toBe(409);
    const staffMember = list.data[1]!;
    expect(
      (await request(`/businesses/${owner.business.id}/members/${staffMember.id}`, { method: "DELETE", headers: bearer(owner) })).status,
    ).toBe(204);
  });

  it("a removed member's access token stops working", async () => {
    const owner = await signUp();
    const staff = await joinAs(owner, "staff");
    const list = await (await request(`/businesses/${owner.business.id}/members`, { headers: bearer(owner) })).json<{
      data: Array<{ id: string; role: string }>;
    }>();
    await request(`/businesses/${owner.business.id}/members/${list.data[1]!.id}`, { method: "DELETE", headers: bearer(owner) });
    expect((await request("/businesses/me", { headers: bearer(staff) })).status).toBe(401);
  });
});

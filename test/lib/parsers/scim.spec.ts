import assert from "node:assert/strict";
import { parseRecord } from "../../../lib/parsers";
import { MAX_MEMBERS, readScimBody } from "../../../lib/parsers/scim-body";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => JSON.stringify({ schemas: [PATCH], Operations });

/** A polled SCIM update record with the fields the API always has, empty unless given. */
function scimRecord(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    cf_resource_id: "bd97ef8d-7986-43e3-9ee0-c25dda33e4b0",
    error_description: "",
    idp_id: "df7e2w5f-02b7-4d9d-af26-8d1988fca630",
    idp_resource_id: "00u1abcd2EFGH3ijk4l5",
    logged_at: "2025-06-02T09:12:44Z",
    request_body: "",
    request_method: "PATCH",
    resource_group_name: "",
    resource_type: "USER",
    resource_user_email: "jane.doe@example.com",
    status: "SUCCESS",
    ...fields,
  };
}

function actionOf(fields: Record<string, unknown>): string | undefined {
  const result = parseRecord(scimRecord(fields), "scim");
  assert.ok(result.ok);
  return result.event.event.action;
}

describe("parsers: SCIM request bodies", () => {
  it("reads a deactivation in Okta's form and in Azure AD's (capitalised op, path, \"False\")", () => {
    assert.equal(readScimBody(patch({ op: "replace", value: { active: false } })).active, false);
    assert.equal(readScimBody(patch({ op: "Replace", path: "active", value: "False" })).active, false);
    assert.equal(actionOf({ request_body: patch({ op: "Replace", path: "active", value: "False" }) }), "user-deactivated");
  });

  it("tells a reactivation (PATCH active:true) from a PUT that restates active:true", () => {
    assert.equal(actionOf({ request_body: patch({ op: "replace", value: { active: true } }) }), "user-reactivated");
    const put = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "jdoe", active: true });
    assert.equal(actionOf({ request_method: "PUT", request_body: put }), "user-modified");
    const off = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "jdoe", active: false });
    assert.equal(actionOf({ request_method: "PUT", request_body: off }), "user-deactivated");
  });

  it("lists attribute changes other than active and members, without ids and schemas", () => {
    const body = readScimBody(
      patch(
        { op: "replace", value: { id: "x", "name.givenName": "Jane", active: true } },
        { op: "add", path: 'emails[type eq "work"].value', value: "j@example.com" },
        { op: "remove", path: "title" },
      ),
    );
    assert.deepEqual(body.attributes, ["name.givenName", 'emails[type eq "work"].value', "title"]);
    assert.equal(body.active, true);
    assert.equal(actionOf({ request_body: patch({ op: "replace", value: { displayName: "J. Doe" } }) }), "user-modified");
  });

  it("reads members added with a path and a value list, and inside a value object", () => {
    const byPath = readScimBody(patch({ op: "add", path: "members", value: [{ value: "u1", display: "a@example.com" }, { value: "u2" }] }));
    assert.deepEqual(byPath.added, [{ value: "u1", display: "a@example.com" }, { value: "u2" }]);
    const byValue = readScimBody(patch({ op: "Add", value: { members: [{ value: "u3" }] } }));
    assert.deepEqual(byValue.added, [{ value: "u3" }]);
  });

  it("reads members removed by filter (Okta) and by value list (Azure AD)", () => {
    assert.deepEqual(readScimBody(patch({ op: "remove", path: 'members[value eq "u1"]' })).removed, [{ value: "u1" }]);
    assert.deepEqual(readScimBody(patch({ op: "Remove", path: "members", value: [{ value: "u2" }] })).removed, [{ value: "u2" }]);
    const group = { resource_type: "GROUP", resource_group_name: "Finance", resource_user_email: "" };
    assert.equal(actionOf({ ...group, request_body: patch({ op: "remove", path: 'members[value eq "u1"]' }) }), "group-member-removed");
    const both = patch({ op: "add", path: "members", value: [{ value: "u3" }] }, { op: "remove", path: 'members[value eq "u1"]' });
    assert.equal(actionOf({ ...group, request_body: both }), "group-members-changed");
  });

  it("reads a whole member list from replace, PUT and POST, and 'remove all' as an empty list", () => {
    assert.deepEqual(readScimBody(patch({ op: "replace", path: "members", value: [{ value: "u1" }] })).members, [{ value: "u1" }]);
    assert.deepEqual(readScimBody(patch({ op: "remove", path: "members" })).members, []);
    const post = readScimBody(JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ops", members: [{ value: "u9", display: "z@example.com" }] }));
    assert.equal(post.resourceType, "group");
    assert.equal(post.displayName, "Ops");
    assert.deepEqual(post.members, [{ value: "u9", display: "z@example.com" }]);
    assert.equal(actionOf({ request_method: "POST", resource_type: "", resource_user_email: "", request_body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ops" }) }), "group-created");
  });

  it("names the group of a created group from the body when the record has none", () => {
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ops" });
    const result = parseRecord(scimRecord({ request_method: "POST", resource_type: "GROUP", resource_user_email: "", request_body: body }), "scim");
    assert.ok(result.ok);
    assert.deepEqual(result.event.group, { id: "bd97ef8d-7986-43e3-9ee0-c25dda33e4b0", name: "Ops" });
    assert.equal(result.event.user, undefined);
  });

  it("keeps at most MAX_MEMBERS members per list and says so", () => {
    const many = Array.from({ length: MAX_MEMBERS + 5 }, (_, i) => ({ value: `u${i}` }));
    const body = readScimBody(patch({ op: "add", path: "members", value: many }));
    assert.equal(body.added.length, MAX_MEMBERS);
    assert.equal(body.truncated, true);
    const result = parseRecord(scimRecord({ resource_type: "GROUP", request_body: patch({ op: "add", path: "members", value: many }) }), "scim");
    assert.ok(result.ok);
    assert.equal(result.event.ztna?.scim?.members_truncated, true);
    assert.ok(result.event.related.user.length <= 101);
  });

  it("survives malformed bodies, keeping what the record itself says", () => {
    for (const body of ["{", "[]", "42", '"text"', "null", JSON.stringify({ Operations: "nope" }), patch(null, 7, { op: "add" }, { op: "add", path: "members", value: [null, 3, { display: "no value" }] })]) {
      const result = parseRecord(scimRecord({ request_body: body }), "scim");
      assert.ok(result.ok, body);
      assert.equal(result.event.event.action, "user-modified", body);
      assert.equal(result.event.user?.target?.email, "jane.doe@example.com");
    }
    const notJson = parseRecord(scimRecord({ request_body: "{" }), "scim");
    assert.ok(notJson.ok);
    assert.equal(notJson.event.ztna?.scim?.body_error, "request_body is not JSON");
    const notObject = parseRecord(scimRecord({ request_body: "[]" }), "scim");
    assert.ok(notObject.ok);
    assert.equal(notObject.event.ztna?.scim?.body_error, "request_body is not a JSON object");
  });

  it("accepts SUCCESS, FAILURE and the dashboard's ERROR, in any case", () => {
    const outcome = (status: unknown) => {
      const r = parseRecord(scimRecord({ status }), "scim");
      assert.ok(r.ok);
      return r.event.event.outcome;
    };
    assert.deepEqual([outcome("SUCCESS"), outcome("failure"), outcome("ERROR"), outcome(""), outcome(undefined)], ["success", "failure", "failure", "unknown", "unknown"]);
  });
});

import { createRoute, z } from "@hono/zod-openapi";
import { changeTemplate, createTemplate, listTemplatePage, loadTemplate, presentTemplate, removeTemplate } from "../../domain/templates";
import { IMAGE_SLOTS } from "../../domain/templates/design";
import { RENDITION_FILES } from "../../domain/templates/image-renditions";
import { putTemplateImage, readTemplateImage } from "../../domain/templates/images";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse } from "../openapi";
import { CreateTemplateBody, PageQuery, pageOf, TemplateSchema, UpdateTemplateBody } from "./schemas";

const tags = ["Templates"];
const TemplateParams = BusinessParams.extend({ template_id: z.string().openapi({ param: { name: "template_id", in: "path" } }) });
const ImageParams = TemplateParams.extend({ slot: z.enum(IMAGE_SLOTS).openapi({ param: { name: "slot", in: "path" } }) });

const create = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/templates",
  tags,
  permission: "templates:write",
  summary: "Create a template; only name and type are required",
  request: { params: BusinessParams, body: jsonBody(CreateTemplateBody) },
  responses: { 201: jsonResponse(TemplateSchema, "Created"), ...errorResponses(422) },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/templates",
  tags,
  permission: "passes:read",
  summary: "List templates, newest first",
  request: { params: BusinessParams, query: PageQuery },
  responses: { 200: jsonResponse(pageOf(TemplateSchema, "TemplatePage"), "A page of templates") },
});

const get = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/templates/{template_id}",
  tags,
  permission: "passes:read",
  summary: "Get a template",
  request: { params: TemplateParams },
  responses: { 200: jsonResponse(TemplateSchema, "The template"), ...errorResponses(404) },
});

const update = businessRoute({
  method: "patch",
  path: "/businesses/{business_id}/templates/{template_id}",
  tags,
  permission: "templates:write",
  summary: "Change a template; nested objects merge, field lists are replaced",
  request: { params: TemplateParams, body: jsonBody(UpdateTemplateBody) },
  responses: { 200: jsonResponse(TemplateSchema, "The updated template"), ...errorResponses(404, 422) },
});

const remove = businessRoute({
  method: "delete",
  path: "/businesses/{business_id}/templates/{template_id}",
  tags,
  permission: "templates:write",
  summary: "Delete a template; one with passes is archived instead (no new passes, existing ones keep working)",
  request: { params: TemplateParams },
  responses: { 200: jsonResponse(TemplateSchema, "status is `deleted` or `archived`"), ...errorResponses(404) },
});

const imageBody = { type: "string", format: "binary" } as const;

const putImage = businessRoute({
  method: "put",
  path: "/businesses/{business_id}/templates/{template_id}/images/{slot}",
  tags,
  permission: "templates:write",
  summary: "Upload one PNG or JPEG for an image slot; PassLite makes Apple's @1x/@2x/@3x files and Google's logo and hero image from it",
  description:
    "At most 4 MB and 4 megapixels, and at least as large as the largest file made from it (a 422 names the size): " +
    "icon square, ≥ 87×87; logo ≥ 480 px wide or 150 px tall; strip ≥ 1125×369 (loyalty), 1125×432 (gift card, coupon), " +
    "1125×336 (event ticket) or 1032×336 (membership, generic: Google's hero image only); thumbnail (event ticket, " +
    "membership, generic) ≥ 270 px wide or tall; background (event ticket) ≥ 540×660. Images keep their aspect ratio; " +
    "icons, strips and backgrounds are centre-cropped to Apple's areas, as Wallet would crop them.",
  request: {
    params: ImageParams,
    body: { required: true, content: { "image/png": { schema: imageBody }, "image/jpeg": { schema: imageBody } } },
  },
  responses: { 200: jsonResponse(TemplateSchema, "The template with its image URLs"), ...errorResponses(404, 413, 422) },
});

const getImage = createRoute({
  method: "get",
  path: "/assets/templates/{template_id}/{file}",
  tags,
  summary:
    "A template image (public: it is printed on every pass): `{slot}.png`, `{slot}@2x.png`, `{slot}@3x.png`, `google-logo.png`, `google-icon.png`, `google-hero.png`",
  request: { params: z.object({ template_id: z.string(), file: z.enum(RENDITION_FILES) }) },
  responses: {
    200: { description: "The PNG", content: { "image/png": { schema: imageBody } } },
    ...errorResponses(404),
  },
});

export const templateRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createTemplate(c.var.db, c.var.principal, c.env.API_ORIGIN, c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json(await listTemplatePage(c.var.db, c.var.principal, c.env.API_ORIGIN, c.req.valid("query")), 200))
  .openapi(get, async (c) => {
    const { row } = await loadTemplate(c.var.db, c.var.principal, c.req.valid("param").template_id);
    return c.json(presentTemplate(row, c.env.API_ORIGIN), 200);
  })
  .openapi(update, async (c) =>
    c.json(await changeTemplate(c.var.db, c.var.principal, c.env.API_ORIGIN, c.req.valid("param").template_id, c.req.valid("json")), 200),
  )
  .openapi(remove, async (c) =>
    c.json(await removeTemplate(c.var.db, c.var.principal, c.env.API_ORIGIN, c.req.valid("param").template_id), 200),
  )
  .openapi(putImage, async (c) => {
    const { template_id, slot } = c.req.valid("param");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json(
      await putTemplateImage(c.var.db, c.env.IMAGES, c.var.principal, c.env.API_ORIGIN, { templateId: template_id, slot, bytes }),
      200,
    );
  });

/** Served outside `/api/v1` auth: wallets and Google fetch these by URL. */
export const templateAssetRoutes = createRouter().openapi(getImage, async (c) => {
  const { template_id, file } = c.req.valid("param");
  const image = await readTemplateImage(c.var.db, c.env.IMAGES, template_id, file);
  return c.body(image.body, 200, {
    "Content-Type": "image/png",
    // URLs carry the image's hash (`?v=`), so a new upload is a new URL.
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: image.etag,
  });
});

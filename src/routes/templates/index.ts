import { createRoute, z } from "@hono/zod-openapi";
import { changeTemplate, createTemplate, listTemplatePage, loadTemplate, presentTemplate, removeTemplate } from "../../domain/templates";
import { IMAGE_SLOTS } from "../../domain/templates/design";
import { RENDITION_FILES } from "../../domain/templates/image-renditions";
import { GENERATED_ICON_FILES, generatedIcon, putTemplateImage, readTemplateImage } from "../../domain/templates/images";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";
import { CreateTemplateBody, PageQuery, pageOf, TemplateSchema, UpdateTemplateBody } from "./schemas";

const tags = ["Templates"];
const TemplateParams = BusinessParams.extend({ template_id: pathParam("template_id") });
const ImageParams = TemplateParams.extend({ slot: z.enum(IMAGE_SLOTS).openapi({ param: { name: "slot", in: "path" } }) });

const create = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/templates",
  tags,
  permission: "templates:write",
  summary: "Create a template",
  description: "Only `name` and `type` are required.",
  request: { params: BusinessParams, body: jsonBody(CreateTemplateBody) },
  responses: { 201: jsonResponse(TemplateSchema, "Created"), ...errorResponses(422) },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/templates",
  tags,
  permission: "passes:read",
  summary: "List templates",
  description: "Newest first.",
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
  summary: "Update a template",
  description: "Nested objects merge; field lists are replaced.",
  request: { params: TemplateParams, body: jsonBody(UpdateTemplateBody) },
  responses: { 200: jsonResponse(TemplateSchema, "The updated template"), ...errorResponses(404, 422) },
});

const remove = businessRoute({
  method: "delete",
  path: "/businesses/{business_id}/templates/{template_id}",
  tags,
  permission: "templates:write",
  summary: "Delete a template",
  description: "A template with passes is archived instead: it issues no new passes, and existing ones keep working.",
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
  request: { params: z.object({ template_id: pathParam("template_id"), file: z.enum(RENDITION_FILES) }) },
  responses: {
    200: { description: "The PNG", content: { "image/png": { schema: imageBody } } },
    ...errorResponses(404),
  },
});

const getGeneratedIcon = createRoute({
  method: "get",
  path: "/assets/icons/{color}/{file}",
  tags,
  summary: "Get a generated icon",
  description: "The icon a template without one carries, in its background colour (`1e3a8a`): Apple's densities and Google's program logo.",
  request: {
    params: z.object({ color: z.string().regex(/^[0-9a-f]{6}$/, "Expected a colour like 1e3a8a"), file: z.enum(GENERATED_ICON_FILES) }),
  },
  responses: {
    200: { description: "The PNG", content: { "image/png": { schema: imageBody } } },
    ...errorResponses(422),
  },
});

const PUBLIC_IMAGE = { "Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable" };

export const templateRoutes = createRouter()
  .openapi(create, async (c) =>
    c.json(await createTemplate(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("json")), 201),
  )
  .openapi(list, async (c) =>
    c.json(await listTemplatePage(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("query")), 200),
  )
  .openapi(get, async (c) => {
    const { row } = await loadTemplate(c.var.tenant, c.var.principal, c.req.valid("param").template_id);
    return c.json(presentTemplate(row, c.var.config.API_ORIGIN), 200);
  })
  .openapi(update, async (c) =>
    c.json(
      await changeTemplate(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("param").template_id, c.req.valid("json")),
      200,
    ),
  )
  .openapi(remove, async (c) =>
    c.json(await removeTemplate(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("param").template_id), 200),
  )
  .openapi(putImage, async (c) => {
    const { template_id, slot } = c.req.valid("param");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json(
      await putTemplateImage(c.var.tenant, c.env.IMAGES, c.var.principal, c.var.config.API_ORIGIN, {
        templateId: template_id,
        slot,
        bytes,
      }),
      200,
    );
  });

/** Served outside `/api/v1` auth: wallets and Google fetch these by URL. */
/** Served outside `/api/v1` auth: wallets and Google fetch these by URL. Immutable: a new upload is a new URL (`?v=` its hash). */
export const templateAssetRoutes = createRouter()
  .openapi(getImage, async (c) => {
    const { template_id, file } = c.req.valid("param");
    const image = await readTemplateImage(c.env.IMAGES, template_id, file);
    return c.body(image.body, 200, { ...PUBLIC_IMAGE, ETag: image.etag });
  })
  .openapi(getGeneratedIcon, async (c) => {
    const { color, file } = c.req.valid("param");
    const icon = generatedIcon(color, file);
    return c.body(icon.body, 200, { ...PUBLIC_IMAGE, ETag: icon.etag });
  });

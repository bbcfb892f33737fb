import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { MAX_IMAGE_BYTES } from "../domain/templates/images";
import { ApiError, type FieldError } from "../lib/errors";
import type { AppEnv } from "../types";

const MB = 1024 * 1024;
const BODY_LIMIT_BYTES = 1 * MB;
const BULK_BODY_LIMIT_BYTES = 5 * MB;

/** The most a body may be on `path`, and how to say so. */
function bodyLimitFor(path: string): { maxSize: number; message: (declaredBytes: number | undefined) => string } {
  if (/\/templates\/[^/]+\/images\/[^/]+$/.test(path)) {
    // The same words as the image check itself, which never sees a body this large.
    return {
      maxSize: MAX_IMAGE_BYTES,
      message: (bytes) => `Images must be at most 4 MB${bytes === undefined ? "" : `; this one is ${Math.ceil(bytes / 1024)} KB`}`,
    };
  }
  const maxSize = path.endsWith("/passes/bulk") ? BULK_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES;
  return { maxSize, message: () => `Request bodies must be at most ${maxSize / MB} MB` };
}

/**
 * Bodies past their limit are refused before anything reads them: by Content-Length when it is
 * given, otherwise counted as the stream arrives and cut off at the limit.
 */
export const limitBodySize = createMiddleware<AppEnv>(async (c, next) => {
  const { maxSize, message } = bodyLimitFor(c.req.path);
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      const declared = Number(c.req.header("content-length"));
      throw new ApiError("payload_too_large", message(Number.isFinite(declared) && declared > 0 ? declared : undefined));
    },
  });
  return limit(c, next);
});

/** `application/json` or `application/…+json`, as the route validators recognise it. */
const JSON_MEDIA_TYPE = /^application\/([a-z.-]+\+)?json$/i;

/** JSON is UTF-8 (RFC 8259): a body declared in another charset would be misread, so it is refused. */
export const requireUtf8Json = createMiddleware<AppEnv>(async (c, next) => {
  const contentType = c.req.header("content-type");
  // The header describes a body; without one there is nothing to misread.
  if (contentType && c.req.raw.body) {
    const [mediaType = "", ...parameters] = contentType.split(";").map((part) => part.trim());
    const charset = parameters
      .find((p) => /^charset\s*=/i.test(p))
      ?.replace(/^charset\s*=\s*/i, "")
      .replace(/^"|"$/g, "");
    if (JSON_MEDIA_TYPE.test(mediaType) && charset !== undefined && charset.toLowerCase() !== "utf-8") throw unsupportedMediaType();
  }
  await next();
});

export const unsupportedMediaType = () =>
  new ApiError("unsupported_media_type", "Content-Type must be application/json with UTF-8 (or no) charset");

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

const CONTROL_CHARACTER_MESSAGE = "Must not contain control characters (U+0000–U+001F, U+007F)";

/** No query value may carry a control character: a NUL would cut a search or a lookup short. */
export const refuseControlCharactersInQuery = createMiddleware<AppEnv>(async (c, next) => {
  const fields: FieldError[] = [];
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.some(hasControlCharacter)) fields.push({ path: name, message: CONTROL_CHARACTER_MESSAGE });
  }
  if (fields.length > 0) throw new ApiError("validation_error", "Query parameters failed validation", { fields });
  await next();
});

import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The reference's error codes and the HTTP status each one always carries. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_error: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  message: string;
}

/** The one error type the API throws; `onError` renders it in the reference's envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { fields?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.fields = options.fields;
    this.headers = options.headers;
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        status: this.status,
        ...(this.fields ? { fields: this.fields } : {}),
      },
    };
  }
}

/**
 * The reference's 402 body is the one response that does not use the error envelope:
 * `{error: "pro_feature", feature, plan, message}`.
 */
export class PlanLimitError extends Error {
  readonly feature: string;
  readonly plan: string;

  constructor(feature: string, plan: string, message: string) {
    super(message);
    this.name = "PlanLimitError";
    this.feature = feature;
    this.plan = plan;
  }

  toBody() {
    return { error: "pro_feature", feature: this.feature, plan: this.plan, message: this.message };
  }
}

/** One rule for every PATCH: an empty change set is a mistake, not a no-op. */
export function assertSomethingToUpdate(changes: object): void {
  if (Object.keys(changes).length === 0) throw new ApiError("validation_error", "Nothing to update: give at least one field");
}

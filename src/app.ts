import { createApp, createRouter } from "./lib/create-app";
import { adminRoutes } from "./routes/admin";
import { apiKeyRoutes } from "./routes/api-keys";
import { authRoutes } from "./routes/auth";
import { businessRoutes } from "./routes/businesses";
import { customerRoutes } from "./routes/customers";
import { devOutboxRoutes } from "./routes/dev/outbox";
import { mountDocs } from "./routes/docs";
import { memberRoutes } from "./routes/members";
import { myPassesRoutes } from "./routes/my-passes";
import { passRoutes } from "./routes/passes";
import { passActionRoutes } from "./routes/passes/actions";
import { scanRoutes } from "./routes/scans";
import { templateAssetRoutes, templateRoutes } from "./routes/templates";
import { validateRoutes } from "./routes/validate";
import { appleWebServiceRoutes } from "./routes/wallet/apple";
import { downloadRoutes } from "./routes/wallet/download";
import { googleCallbackRoutes } from "./routes/wallet/google";
import { webhookRoutes } from "./routes/webhooks";

/** The whole HTTP surface: `/api/v1` resources, the OpenAPI document and its reference page. */
export function buildApp() {
  const app = createApp();
  const api = createRouter();
  for (const routes of [
    authRoutes,
    businessRoutes,
    memberRoutes,
    apiKeyRoutes,
    adminRoutes,
    templateRoutes,
    passRoutes,
    passActionRoutes,
    scanRoutes,
    webhookRoutes,
    appleWebServiceRoutes,
    googleCallbackRoutes,
    customerRoutes,
  ]) {
    api.route("/", routes);
  }
  app.route("/api/v1", api);
  app.route("/", templateAssetRoutes);
  app.route("/", downloadRoutes);
  app.route("/", myPassesRoutes);
  app.route("/", devOutboxRoutes);
  app.route("/", validateRoutes);
  mountDocs(app);
  return app;
}

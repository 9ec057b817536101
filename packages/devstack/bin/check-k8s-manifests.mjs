#!/usr/bin/env node
// CI's check of infra/k8s: renders every overlay with `kubectl kustomize`, validates each object against the
// Kubernetes API schemas (kubernetes-models: the OpenAPI schemas of Kubernetes 1.27), and holds the house rules
// for apps: probes and resource requests on every container, a PodDisruptionBudget and a HorizontalPodAutoscaler for
// every Omnihall app.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const overlaysDir = process.argv[2] ?? "infra/k8s/overlays";
const problems = [];

async function schemaModel(apiVersion, kind) {
  const module = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined);
  return module?.[kind];
}

for (const overlay of readdirSync(overlaysDir).sort()) {
  const rendered = execFileSync("kubectl", ["kustomize", join(overlaysDir, overlay)], { encoding: "utf8" });
  const objects = parseAllDocuments(rendered).map((document) => document.toJS());
  const named = (kind) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.metadata.name));
  const [budgets, autoscalers] = [named("PodDisruptionBudget"), named("HorizontalPodAutoscaler")];
  for (const object of objects) {
    const where = `${overlay}: ${object.kind}/${object.metadata?.name}`;
    const Model = await schemaModel(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    // Kustomize wraps long base64 Secret values over lines, which the API server's decoder ignores (Go's base64
    // skips newlines) and the schema's "byte" format does not.
    if (object.kind === "Secret" && object.data)
      for (const key of Object.keys(object.data)) object.data[key] = object.data[key].replace(/\s/g, "");
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (object.kind !== "Deployment" || !object.metadata.labels?.["app.kubernetes.io/component"]) continue;
    for (const container of object.spec.template.spec.containers) {
      if (!container.readinessProbe || !container.livenessProbe)
        problems.push(`${where}: ${container.name} lacks probes`);
      if (!container.resources?.requests) problems.push(`${where}: ${container.name} requests no resources`);
    }
    if (!budgets.has(object.metadata.name)) problems.push(`${where}: no PodDisruptionBudget`);
    if (!autoscalers.has(object.metadata.name)) problems.push(`${where}: no HorizontalPodAutoscaler`);
  }
  console.log(`${overlay}: ${objects.length} objects rendered and validated`);
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}

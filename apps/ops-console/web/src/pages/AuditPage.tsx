import { Card, ErrorAlert, Link, Loading, useFormat, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ok, type AuditEntry } from "../api";

/** Every leaf of a JSON value by its path ("spec.offer.discountBps"), to compare two versions field by field. */
function leaves(value: unknown, path = "", into = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, into);
  } else if (path) {
    into.set(path, JSON.stringify(value));
  }
  return into;
}

/** The fields that differ between the audit entry's before and after (what the service recorded, as it did). */
export function changes(entry: Pick<AuditEntry, "beforeJson" | "afterJson">) {
  const before = leaves(entry.beforeJson ? JSON.parse(entry.beforeJson) : {});
  const after = leaves(entry.afterJson ? JSON.parse(entry.afterJson) : {});
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths
    .filter((path) => before.get(path) !== after.get(path) && !/^(etag|updateTime)$/.test(path))
    .map((path) => ({ path, before: before.get(path) ?? "", after: after.get(path) ?? "" }));
}

/** The campaign's audit log, oldest first: who did what when, and what changed. */
export function AuditPage({ campaignId }: { campaignId: string }) {
  const t = useT();
  const format = useFormat();
  const audit = useQuery({
    queryKey: ["audit", campaignId],
    queryFn: () => ok(api.GET("/v1/campaigns/{campaignId}/audit", { params: { path: { campaignId } } })),
  });
  return (
    <>
      <Link to={`/campaigns/${campaignId}`}>{t("back")}</Link>
      <Card title={t("audit.title")}>
        {audit.isPending && <Loading />}
        <ErrorAlert error={audit.error} />
        {audit.data && audit.data.entries.length === 0 && <p>{t("audit.empty")}</p>}
        {audit.data && audit.data.entries.length > 0 && (
          <table className="ops-table ops-audit">
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.changes")}</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.entries.map((entry) => {
                const diff = changes(entry);
                return (
                  <tr key={entry.entryId}>
                    <td>{format.dateTime(entry.createTime)}</td>
                    <td>{entry.actor}</td>
                    <td>{entry.action}</td>
                    <td>
                      {diff.length === 0 ? (
                        t("audit.noChange")
                      ) : (
                        <details>
                          <summary>
                            {diff
                              .slice(0, 3)
                              .map((d) => d.path)
                              .join(", ")}
                            {diff.length > 3 ? ` … (${diff.length})` : ""}
                          </summary>
                          <table className="ops-diff">
                            <thead>
                              <tr>
                                <th scope="col">{t("audit.field")}</th>
                                <th scope="col">{t("audit.before")}</th>
                                <th scope="col">{t("audit.after")}</th>
                              </tr>
                            </thead>
                            <tbody>
                              {diff.map((d) => (
                                <tr key={d.path}>
                                  <td>{d.path}</td>
                                  <td>{d.before}</td>
                                  <td>{d.after}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </details>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

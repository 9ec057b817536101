import { callOptions, requireSession, SESSION_SECURITY } from "@omnihall/hall-kit";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
import { openingSchema, openingView } from "./views.js";

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Midnight in China (UTC+8, no daylight saving) of the day `now` falls on. */
export function startOfChinaDay(now: Date): Date {
  const local = now.getTime() + CHINA_OFFSET_MS;
  return new Date(local - (local % 86_400_000) - CHINA_OFFSET_MS);
}

/** The agent's day: today's openings as the services hold them, and totals by kind and state. */
export async function dayRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.addHook("onRequest", requireSession("agent"));

  app.get(
    "/v1/day",
    {
      schema: {
        summary: "Today's work of the agent (as synced) with totals",
        tags: ["day"],
        security: SESSION_SECURITY,
        response: {
          200: {
            type: "object",
            properties: {
              since: { type: "string", format: "date-time" },
              openings: { type: "array", items: openingSchema },
              totals: {
                type: "object",
                properties: {
                  accountOpenings: { type: "integer" },
                  opened: { type: "integer" },
                  failed: { type: "integer" },
                  inProgress: { type: "integer" },
                  numberFeesFen: { type: "integer" },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const since = startOfChinaDay(new Date());
      const { accountOpenings } = await clients.openings.listAccountOpenings(
        { agentId: "", since, pageSize: 200, pageToken: "" },
        callOptions(request),
      );
      const openings = accountOpenings.map(openingView);
      const count = (state: string) => openings.filter((opening) => opening.state === state).length;
      return {
        since: since.toISOString(),
        openings,
        totals: {
          accountOpenings: openings.length,
          opened: count("OPENED"),
          failed: count("FAILED"),
          inProgress: count("OPENING"),
          numberFeesFen: openings
            .filter((opening) => opening.state === "OPENED")
            .reduce((sum, opening) => sum + opening.numberFeeFen, 0),
        },
      };
    },
  );
}

import { requireSession, SESSION_SECURITY } from "@omnihall/hall-kit";
import { segmentSms, SmsTooLongError } from "@omnihall/sms-link";
import type { FastifyInstance } from "fastify";

/**
 * How an SMS creative will travel: its encoding and number of parts, counted by the same segmenter notify's SMPP
 * link sends with (@omnihall/sms-link), so the preview's count is the count the SMSC bills.
 */
export async function previewRoutes(app: FastifyInstance) {
  app.addHook("onRequest", requireSession("operator"));
  app.post<{ Body: { text: string } }>(
    "/v1/sms-previews",
    {
      schema: {
        summary: "The SMS parts a text takes (GSM-7 or UCS-2), for the creative preview",
        tags: ["campaigns"],
        security: SESSION_SECURITY,
        body: {
          type: "object",
          required: ["text"],
          additionalProperties: false,
          properties: { text: { type: "string", maxLength: 2000 } },
        },
        response: {
          200: {
            type: "object",
            required: ["encoding", "parts", "characters"],
            properties: {
              encoding: { type: "string", enum: ["GSM7", "UCS2"] },
              parts: { type: "integer" },
              characters: { type: "integer" },
            },
          },
        },
      },
    },
    async (request) => {
      const { text } = request.body;
      const characters = Array.from(text).length;
      try {
        const segmented = segmentSms(text);
        return { encoding: segmented.encoding, parts: text === "" ? 0 : segmented.parts.length, characters };
      } catch (error) {
        if (error instanceof SmsTooLongError) return { encoding: "UCS2", parts: error.parts, characters };
        throw error;
      }
    },
  );
}

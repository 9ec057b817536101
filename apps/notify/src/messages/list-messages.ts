import { z } from "zod";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import {
  MessageKind as ProtoKind,
  MessageStatus as ProtoStatus,
  type ListMessagesRequest,
  type ListMessagesResponse,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import type { Prisma } from "../generated/prisma/client.js";
import type { NotifyDeps } from "../service-deps.js";
import { requireSubscriberId } from "../validation.js";
import { KIND_TO_PROTO, STATUS_TO_PROTO, toProtoMessage } from "./message-view.js";

const POSITION = z.object({ createdAt: z.iso.datetime(), id: z.string().min(1) });

function fromProto<T extends string>(mapping: Record<T, number>, value: number): T | undefined {
  return (Object.keys(mapping) as T[]).find((key) => mapping[key] === value);
}

/** ListMessages: newest first, keyset-paged on (create time, id) so pages hold steady while messages arrive. */
export function listMessages({ db }: Pick<NotifyDeps, "db">) {
  return async (request: ListMessagesRequest): Promise<ListMessagesResponse> => {
    const filters = {
      subscriberId: request.subscriberId ? requireSubscriberId(request.subscriberId) : undefined,
      kind: request.kind === ProtoKind.MESSAGE_KIND_UNSPECIFIED ? undefined : fromProto(KIND_TO_PROTO, request.kind),
      status:
        request.status === ProtoStatus.MESSAGE_STATUS_UNSPECIFIED
          ? undefined
          : fromProto(STATUS_TO_PROTO, request.status),
      campaignId: request.campaignId || undefined,
    };
    const size = pageSize(request.pageSize, { default: 20, max: 100 });
    const after = decodePageToken(request.pageToken, POSITION, { ...request, pageSize: 0, pageToken: "" });
    const where: Prisma.MessageWhereInput = { ...filters };
    if (after) {
      const createdAt = new Date(after.createdAt);
      where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: after.id } }];
    }
    const rows = await db.message.findMany({
      where,
      include: { parts: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: size + 1,
    });
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return {
      messages: page.map(toProtoMessage),
      nextPageToken:
        rows.length > size && last
          ? encodePageToken(
              { createdAt: last.createdAt.toISOString(), id: last.id },
              { ...request, pageSize: 0, pageToken: "" },
            )
          : "",
    };
  };
}

import type { GetMessageRequest, GetMessageResponse } from "@omnihall/proto/omnihall/notify/v1/notify";
import { notifyError } from "../errors.js";
import { hasIdShape } from "@omnihall/ids";
import type { NotifyDeps } from "../service-deps.js";
import { toProtoMessage } from "./message-view.js";

/** GetMessage: one message with the delivery status of each part. */
export function getMessage({ db }: Pick<NotifyDeps, "db">) {
  return async (request: GetMessageRequest): Promise<GetMessageResponse> => {
    if (!hasIdShape(request.messageId, "msg")) throw notifyError("MESSAGE_ID_MALFORMED", { field: "message_id" });
    const message = await db.message.findUnique({ where: { id: request.messageId }, include: { parts: true } });
    if (!message) throw notifyError("MESSAGE_NOT_FOUND");
    return { message: toProtoMessage(message) };
  };
}

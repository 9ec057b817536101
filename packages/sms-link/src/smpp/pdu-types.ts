// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./smpp.d.ts" />
import type smpp from "smpp";

/** The smpp library's PDU types, for owners of a link who build or read PDUs without importing the library. */
export type SmppPdu = smpp.PDU;
export type SmppPduFields = smpp.PduFields;
export type DecodedShortMessage = smpp.DecodedShortMessage;

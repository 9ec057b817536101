/**
 * Types for the parts of `smpp` 0.5.1 (farhadi/node-smpp, plain JavaScript) Omnihall uses.
 * PDU fields are named as in SMPP 3.4; the library decodes short_message into { udh?, message } when it
 * reads a PDU and passes a Buffer through untouched when it writes one.
 */
declare module "smpp" {
  import { EventEmitter } from "node:events";
  import type { Server as NetServer, Socket } from "node:net";

  namespace smpp {
    interface DecodedShortMessage {
      /** The UDH information elements, each as IE id, IE length, IE data. */
      udh?: Buffer[];
      message: string | Buffer;
    }

    interface PduFields {
      command_status: number;
      sequence_number: number;
      system_id: string;
      password: string;
      system_type: string;
      interface_version: number;
      service_type: string;
      source_addr_ton: number;
      source_addr_npi: number;
      source_addr: string;
      dest_addr_ton: number;
      dest_addr_npi: number;
      destination_addr: string;
      esm_class: number;
      registered_delivery: number;
      data_coding: number;
      short_message: Buffer | string | DecodedShortMessage;
      /** TLV 0x0424: the whole text of a long message in one PDU, instead of short_message. */
      message_payload: Buffer | string | DecodedShortMessage;
      message_id: string;
      /** TLV 0x001E: the SMSC's id of the message a receipt is about. */
      receipted_message_id: string;
      /** TLV 0x0427: SMPP message_state of a receipt. */
      message_state: number;
      /** TLV 0x0204: the ESME's reference for a message, which SMSCs echo in its delivery receipts. */
      user_message_reference: number;
      /** TLV 0x0423: network type (1 octet) and error code (2 octets). */
      network_error_code: Buffer;
    }

    class PDU implements Partial<PduFields> {
      constructor(command: string, fields?: Partial<PduFields>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      isResponse(): boolean;
      response(fields?: Partial<PduFields>): PDU;
      system_id?: string;
      password?: string;
      system_type?: string;
      source_addr?: string;
      destination_addr?: string;
      esm_class?: number;
      registered_delivery?: number;
      data_coding?: number;
      short_message?: Buffer | string | DecodedShortMessage;
      message_payload?: Buffer | string | DecodedShortMessage;
      message_id?: string;
      receipted_message_id?: string;
      message_state?: number;
      user_message_reference?: number;
      network_error_code?: Buffer;
    }

    /** One SMPP connection; emits "connect", "close", "error", "pdu" and one event per command name. */
    class Session extends EventEmitter {
      readonly socket: Socket;
      /** Writes a PDU; a request gets a sequence number and its response goes to responseCallback. */
      send(pdu: PDU, responseCallback?: (response: PDU) => void): boolean;
      /** Ends the socket after pending writes. */
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
    }

    interface Server extends NetServer {
      readonly sessions: Session[];
    }

    function connect(options: { host: string; port: number }): Session;
    function createServer(listener: (session: Session) => void): Server;

    /** SMPP command_status names to values (ESME_ROK, ESME_RTHROTTLED, ...). */
    const errors: Record<string, number>;
  }

  export = smpp;
}

import type { Socket } from "node:net";
import type smpp from "smpp";

const corked = new WeakSet<Socket>();

/**
 * The library's Session.send, with the socket corked until the end of the current tick: the PDUs of one burst (a
 * window of submit_sm, the answers to a read full of deliver_sm) leave in one write rather than a system call each,
 * and reach the peer in one read. A PDU waits at most for the code already running; under load it saves a write per
 * PDU on both ends (over loopback, the sender's write also does the receiver's TCP work).
 */
export function sendCoalesced(session: smpp.Session, pdu: smpp.PDU, callback?: (pdu: smpp.PDU) => void): boolean {
  const socket = session.socket;
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    process.nextTick(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  return session.send(pdu, callback);
}

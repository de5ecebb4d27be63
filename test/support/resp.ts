import { createConnection } from 'node:net';

/** A decoded RESP2 reply: simple/bulk strings, integers, null, arrays; errors become Error. */
export type RespValue = string | number | null | Error | RespValue[];

/** Decodes one complete reply from `buf` at `at`; undefined when more bytes are needed. */
function decode(buf: Buffer, at: number): { value: RespValue; next: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) {
    return undefined;
  }
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new Error(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) {
        return { value: null, next: after };
      }
      if (buf.length < after + len + 2) {
        return undefined;
      }
      return { value: buf.toString('utf8', after, after + len), next: after + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) {
        return { value: null, next: after };
      }
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = decode(buf, next);
        if (item === undefined) {
          return undefined;
        }
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}

/**
 * Sends one command on a fresh loopback connection and resolves with the decoded reply (an
 * error reply resolves as an Error value). Test helpers use it to drive servers without a
 * client library.
 */
export function respCall(port: number, args: string[], timeoutMs = 2000): Promise<RespValue> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${args[0]} on port ${port} timed out`));
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const reply = decode(data, 0);
      if (reply !== undefined) {
        clearTimeout(timer);
        socket.end();
        resolve(reply.value);
      }
    });
    socket.write(
      `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''),
    );
  });
}

/** {@link respCall} that rejects on an error reply. */
export async function respCallOk(port: number, args: string[]): Promise<RespValue> {
  const reply = await respCall(port, args);
  if (reply instanceof Error) {
    throw new Error(`${args.join(' ')} on port ${port}: ${reply.message}`);
  }
  return reply;
}

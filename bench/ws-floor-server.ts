/**
 * The floor for fan-out: a bare `ws` server in its own process, like the service, that sends
 * the same bytes to every connected socket when told on stdin ("send <bytes>"). Prints its port.
 */
import readline from 'node:readline';
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
async function main(): Promise<void> {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, size] = line.trim().split(' ');
    if (command === 'send') {
      const message = JSON.stringify({ id: '0', type: 'next', payload: 'x'.repeat(Math.max(0, Number(size) - 40)) });
      for (const socket of server.clients) socket.send(message);
    } else if (command === 'exit') break;
  }
  server.close();
  process.exit(0);
}

void main();

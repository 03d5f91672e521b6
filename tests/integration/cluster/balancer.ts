/**
 * A tiny TCP balancer for the tests, standing in for nginx or HAProxy in front of the nodes: each new connection goes
 * to the first node in the list that accepts it, so a client whose node died reconnects to the next one. `pause()`
 * refuses new connections (a client cannot come back meanwhile).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class Balancer {
  private paused = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targets: () => readonly number[]): Promise<Balancer> {
    const holder: { balancer?: Balancer } = {};
    const server = createServer((client) => {
      const balancer = holder.balancer;
      if (balancer === undefined || balancer.paused) {
        client.destroy();
        return;
      }
      balancer.track(client);
      const tryTarget = (index: number): void => {
        const port = targets()[index];
        if (port === undefined) {
          client.destroy();
          return;
        }
        const upstream = connect(port, '127.0.0.1');
        balancer.track(upstream);
        let connected = false;
        upstream.once('connect', () => {
          connected = true;
          client.pipe(upstream);
          upstream.pipe(client);
        });
        upstream.on('error', () => {
          if (!connected) tryTarget(index + 1);
          else client.destroy();
        });
        upstream.on('close', () => {
          if (connected) client.destroy();
        });
        client.on('close', () => upstream.destroy());
      };
      client.on('error', () => client.destroy());
      tryTarget(0);
    });
    const port = await new Promise<number>((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    holder.balancer = new Balancer(server, port);
    return holder.balancer;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  pause(paused: boolean): void {
    this.paused = paused;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The support-refund example: classify the ticket (a model step) → look the order up (an HTTP
 * tool) → propose a refund (a chat call through the gateway as the run's key) → execute the
 * refund (an HTTP tool, approval above $100, idempotent on its key) → notify the customer.
 */
export function supportRefundYaml(serviceUrl: string, model: string): string {
  return `name: support-refund
version: 1
description: Refund a customer's order; refunds above $100 wait for a human.
initial: classify
budget_usd: 0.05
input:
  type: object
  properties: { ticket: { type: string }, order_id: { type: string } }
  required: [ticket, order_id]
tools:
  lookup_order:
    description: the order as the shop knows it
    http: { url: ${serviceUrl}/orders/lookup }
    args: { type: object, properties: { order_id: { type: string } }, required: [order_id] }
    result: { type: object, properties: { order_id: { type: string }, total: { type: number }, customer: { type: string } }, required: [order_id, total] }
  propose_refund:
    description: a refund note written by the model
    chat: { model: ${model}, system: "Write one sentence proposing a refund." }
    args: { type: object, properties: { prompt: { type: string } }, required: [prompt] }
    result: { type: object, properties: { content: { type: string } }, required: [content] }
  execute_refund:
    description: pays the refund (idempotent on the Idempotency-Key header)
    http: { url: ${serviceUrl}/refunds }
    args: { type: object, properties: { order_id: { type: string }, amount: { type: number, minimum: 0 } }, required: [order_id, amount] }
    result: { type: object, properties: { refund_id: { type: string }, amount: { type: number } }, required: [refund_id, amount] }
    approval: { when: { path: /args/amount, gt: 100 } }
  notify_customer:
    http: { url: ${serviceUrl}/notify }
    args: { type: object, properties: { order_id: { type: string }, message: { type: string } }, required: [order_id, message] }
    result: { type: object, properties: { sent: { type: boolean } }, required: [sent] }
states:
  classify:
    decide:
      model: ${model}
      instructions: "Support ticket: {{/context/input/ticket}}"
      transitions:
        lookup: { description: the customer asks for a refund }
        closed: { description: anything else }
  lookup: { call: { tool: lookup_order, args: { order_id: { $ref: /context/input/order_id } }, assign: order, next: propose } }
  propose: { call: { tool: propose_refund, args: { prompt: { $ref: /context/input/ticket } }, assign: proposal, next: refund } }
  refund:
    call:
      tool: execute_refund
      args: { order_id: { $ref: /context/order/order_id }, amount: { $ref: /context/order/total } }
      assign: refund
      next: notify
      on_reject: notify_declined
  notify: { call: { tool: notify_customer, args: { order_id: { $ref: /context/order/order_id }, message: "Your refund was paid." }, next: refunded } }
  notify_declined: { call: { tool: notify_customer, args: { order_id: { $ref: /context/order/order_id }, message: "Your refund was declined." }, next: declined } }
  refunded: { final: succeeded }
  declined: { final: succeeded }
  closed: { final: succeeded }
`;
}

/** The shop the example talks to: orders, refunds paid at most once per idempotency key, notifications. */
export class ShopService {
  readonly refunds = new Map<string, { refund_id: string; order_id: string; amount: number }>();
  /** Refund requests received, duplicates included. */
  refundRequests = 0;
  readonly notifications: Array<{ order_id: string; message: string }> = [];
  private readonly orders: Record<string, { total: number; customer: string }> = {
    'A-1001': { total: 45, customer: 'Ada' },
    'B-2002': { total: 240, customer: 'Grace' },
  };
  private readonly server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const args = (JSON.parse(text || '{}') as { arguments?: Record<string, unknown> }).arguments ?? {};
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const orderId = String(args.order_id);
      if (request.url === '/orders/lookup') {
        const order = this.orders[orderId];
        return order ? send(200, { order_id: orderId, ...order }) : send(404, { error: 'no such order' });
      }
      if (request.url === '/refunds') {
        this.refundRequests++;
        const key = String(request.headers['idempotency-key']);
        let refund = this.refunds.get(key);
        if (!refund) {
          refund = { refund_id: `rf_${this.refunds.size + 1}`, order_id: orderId, amount: Number(args.amount) };
          this.refunds.set(key, refund);
        }
        return send(200, refund);
      }
      if (request.url === '/notify') {
        this.notifications.push({ order_id: orderId, message: String(args.message) });
        return send(200, { sent: true });
      }
      send(404, { error: 'not found' });
    });
  });

  static async start(): Promise<ShopService> {
    const shop = new ShopService();
    await new Promise<void>((resolve) => shop.server.listen(0, '127.0.0.1', resolve));
    return shop;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

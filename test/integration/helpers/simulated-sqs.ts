// An in-process model of an SQS standard queue with a redrive policy, as the Lambda poller uses it:
// receive makes messages invisible for the visibility timeout and counts receives; a message whose
// receive count already reached maxReceiveCount moves to the dead-letter queue on its next receive;
// an operator's redrive (StartMessageMoveTask) moves dead letters back. Time is counted in ticks.
import type { SQSRecord } from 'aws-lambda';
import { sqsRecord } from '../../lambda/helpers';

interface Message {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
}

export class SimulatedQueue {
  private readonly messages: Message[] = [];
  private readonly dead: Message[] = [];
  /** Messages deleted after a successful receive, by id. */
  readonly deleted = new Set<string>();
  /** How many times each message was received, dead-letter moves and redrives included. */
  readonly deliveries = new Map<string, number>();
  private now = 0;

  constructor(private readonly options: { readonly maxReceiveCount: number; readonly visibilityTimeoutTicks: number }) {}

  send(messageId: string, body: string): void {
    this.messages.push({ messageId, body, receiveCount: 0, visibleAt: 0 });
  }

  /** ReceiveMessage: up to `max` visible messages, oldest first. */
  receive(max: number): SQSRecord[] {
    const received: SQSRecord[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > this.now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.remove(message.messageId);
        this.dead.push(message);
        continue;
      }
      message.receiveCount++;
      this.deliveries.set(message.messageId, (this.deliveries.get(message.messageId) ?? 0) + 1);
      message.visibleAt = this.now + this.options.visibilityTimeoutTicks;
      received.push(sqsRecord({ messageId: message.messageId, body: message.body, receiveCount: message.receiveCount }));
    }
    return received;
  }

  /** DeleteMessage (or DeleteMessageBatch) after the consumer reported success. */
  delete(messageId: string): void {
    if (this.remove(messageId)) this.deleted.add(messageId);
  }

  /** Lets time pass: messages whose visibility timeout expired can be received again. */
  tick(): void {
    this.now++;
  }

  /** Messages waiting or in flight in the source queue. */
  get pending(): number {
    return this.messages.length;
  }

  get deadLetterIds(): string[] {
    return this.dead.map((m) => m.messageId);
  }

  /** StartMessageMoveTask: every dead letter back to its source queue, as a new delivery. */
  redrive(): void {
    for (const message of this.dead.splice(0)) this.messages.push({ ...message, receiveCount: 0, visibleAt: this.now });
  }

  private remove(messageId: string): boolean {
    const index = this.messages.findIndex((m) => m.messageId === messageId);
    if (index >= 0) this.messages.splice(index, 1);
    return index >= 0;
  }
}

/** A seeded pseudo-random generator (mulberry32), so a failing run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

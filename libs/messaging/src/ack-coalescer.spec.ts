import type { Message } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

const message = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message;
const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

/** A channel that records what it was told, as [method, tag, multiple|requeue]. */
function recordingChannel() {
  const sent: [string, number, boolean?][] = [];
  return {
    sent,
    ack: (m: Message, allUpTo?: boolean) => void sent.push(['ack', m.fields.deliveryTag, allUpTo ?? false]),
    nack: (m: Message, _allUpTo?: boolean, requeue?: boolean) =>
      void sent.push(['nack', m.fields.deliveryTag, requeue]),
  };
}

describe('AckCoalescer', () => {
  it('acks messages handled in the same turn with one multiple ack, once the turn ends', async () => {
    const channel = recordingChannel();
    const acks = new AckCoalescer(channel);
    const messages = [1, 2, 3, 4].map(message);
    messages.forEach((m) => acks.received(m));
    messages.forEach((m) => acks.ack(m));
    expect(channel.sent).toEqual([]);

    await turnEnds();
    expect(channel.sent).toEqual([['ack', 4, true]]);
  });

  it('acks a single handled message without multiple', async () => {
    const channel = recordingChannel();
    const acks = new AckCoalescer(channel);
    acks.received(message(1));
    acks.received(message(2));
    acks.ack(message(1));
    await turnEnds();
    expect(channel.sent).toEqual([['ack', 1, false]]);
  });

  it('never covers a message still being handled: those after it are acked one by one', async () => {
    const channel = recordingChannel();
    const acks = new AckCoalescer(channel);
    [1, 2, 3, 4, 5].forEach((tag) => acks.received(message(tag)));
    [1, 2, 4, 5].forEach((tag) => acks.ack(message(tag)));
    await turnEnds();
    expect(channel.sent).toEqual([
      ['ack', 2, true],
      ['ack', 4, false],
      ['ack', 5, false],
    ]);

    acks.ack(message(3));
    await turnEnds();
    expect(channel.sent.slice(3)).toEqual([['ack', 3, false]]);
  });

  it('nacks at once and leaves the nacked message out of later acks', async () => {
    const channel = recordingChannel();
    const acks = new AckCoalescer(channel);
    [1, 2, 3].forEach((tag) => acks.received(message(tag)));
    acks.nack(message(2), true);
    expect(channel.sent).toEqual([['nack', 2, true]]);

    acks.ack(message(1));
    acks.ack(message(3));
    await turnEnds();
    expect(channel.sent.slice(1)).toEqual([['ack', 3, true]]);
  });

  it('sends what it holds when flushed before the turn ends (the channel is about to close)', () => {
    const channel = recordingChannel();
    const acks = new AckCoalescer(channel);
    acks.received(message(7));
    acks.ack(message(7));
    acks.flush();
    expect(channel.sent).toEqual([['ack', 7, false]]);
  });

  it('swallows the error of a channel that closed meanwhile (the broker redelivers)', async () => {
    const closed = {
      ack: () => {
        throw new Error('Channel closed');
      },
      nack: () => {
        throw new Error('Channel closed');
      },
    };
    const acks = new AckCoalescer(closed);
    [1, 2].forEach((tag) => acks.received(message(tag)));
    acks.ack(message(1));
    expect(() => acks.nack(message(2), false)).not.toThrow();
    await turnEnds();
  });
});

import { describe, expect, it } from 'vitest';
import { InFlight, within } from '../../src/core/in-flight.js';
import { silentLogger } from '../../src/core/log.js';
import { Sweep, type SweepSignal } from '../../src/core/sweep.js';
import { FakeTime } from '../helpers/time.js';

/** A promise and the function that resolves it. */
function gate(): { open: Promise<void>; release: () => void } {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  return { open, release };
}

describe('work in flight', () => {
  it('refuses new work once closed, and settles what it took', async () => {
    const requests = new InFlight();
    const g = gate();
    const taken = requests.take(
      () => g.open.then(() => 'answered'),
      async () => 'refused',
    );
    requests.close();
    expect(await requests.take(async () => 'answered', async () => 'refused')).toBe('refused');
    expect(requests.size).toBe(1);
    const settled = requests.settle(Date.now() + 5000);
    g.release();
    expect(await settled).toBe(true);
    expect(await taken).toBe('answered');
    expect(requests.size).toBe(0);
  });

  it('gives up at its deadline with what is still running, and counts a failure as finished', async () => {
    const requests = new InFlight();
    void requests.track(new Promise(() => {}));
    void requests.track(Promise.reject(new Error('failed'))).catch(() => undefined);
    const began = Date.now();
    expect(await requests.settle(began + 100)).toBe(false);
    expect(Date.now() - began).toBeGreaterThanOrEqual(90);
    expect(requests.size).toBe(1);
    expect(await within(Promise.reject(new Error('no')), Date.now() + 100)).toBe(true);
    expect(await within(new Promise(() => {}), Date.now() - 1)).toBe(false);
  });
});

describe('a periodic sweep', () => {
  it('started again while its run is under way, never runs twice at once nor sets two timers', async () => {
    const time = new FakeTime();
    const held = gate();
    let running = 0;
    let most = 0;
    let runs = 0;
    const work = async (signal: SweepSignal) => {
      most = Math.max(most, ++running);
      runs++;
      if (runs === 1) await held.open;
      running--;
      return signal;
    };
    const first = new Sweep('test sweep', work, silentLogger).every(time, 10_000);
    const ticking = time.advance(10_000);
    await new Promise((r) => setTimeout(r, 10));
    // Stopped and started again (as quiz shutdown() then watch()) while the first run waits.
    const stopped = first.stop();
    const second = new Sweep('test sweep', async (signal) => (await stopped, work(signal)), silentLogger).every(time, 10_000);
    held.release();
    await ticking;
    await stopped;
    expect(time.timers).toBe(1);
    await time.advance(30_000);
    expect(runs).toBe(4);
    expect(most).toBe(1);
    await second.stop();
    expect(time.timers).toBe(0);
  });

  it('tells its run to stop, and resolves once the run has ended', async () => {
    const time = new FakeTime();
    const held = gate();
    const steps: string[] = [];
    const sweep = new Sweep(
      'test sweep',
      async (signal) => {
        for (const step of ['a', 'b', 'c']) {
          if (signal.stopping) return;
          steps.push(step);
          if (step === 'a') await held.open;
        }
      },
      silentLogger,
    );
    const run = sweep.run();
    expect(sweep.run()).toBe(run);
    let stopped = false;
    const stopping = sweep.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect(steps).toEqual(['a']);
    await sweep.run();
    expect(steps).toEqual(['a']);
    expect(time.timers).toBe(0);
  });

  it('logs a failed run and goes on at the next period', async () => {
    const time = new FakeTime();
    const lines: string[] = [];
    let runs = 0;
    const sweep = new Sweep(
      'test sweep',
      async () => {
        if (++runs === 1) throw new Error('database gone');
      },
      { ...silentLogger, error: (m) => void lines.push(m) },
    ).every(time, 1000, 0);
    await time.advance(1000);
    expect(runs).toBe(2);
    expect(lines).toEqual(['test sweep failed']);
    await sweep.stop();
  });
});

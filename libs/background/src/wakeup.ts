/**
 * A polling loop's pause that can be cut short: `sleep` waits up to `ms` or until `wake`. A wake
 * that comes while the loop is busy is kept, so the next `sleep` returns at once instead of
 * missing it (new work committed during a query would otherwise wait a whole poll interval).
 */
export class Wakeup {
  private wakeUp?: () => void;
  private pending = false;

  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.pending = false;
  }
}

/**
 * A service (ECS tasks, or GPU hosts each serving one task) in the twin: what is asked for
 * (desired), what is serving (running) and what is still booting (pending). New capacity serves
 * only after its boot delay: a Fargate task about 60 s, a GPU host 5-8 minutes (DESIGN.md).
 */
export interface FleetOptions {
  readonly name: string;
  /** Seconds from launch to serving: a fixed delay, or a range drawn uniformly per task. */
  readonly bootSeconds: number | { readonly min: number; readonly max: number };
  readonly initial: number;
  /** Demand units one running task serves at 100 % utilisation. */
  readonly unitCapacity: number;
}

interface Task {
  readonly id: number;
  readonly launchedAt: number;
  readonly readyAt: number;
}

export class Fleet {
  private tasks: Task[] = [];
  private nextId = 1;
  private now = 0;
  private blockedUntil: number | undefined;

  constructor(
    readonly options: FleetOptions,
    private readonly random: () => number,
  ) {
    if (!Number.isInteger(options.initial) || options.initial < 0)
      throw new Error(`${options.name}: initial must be a whole number >= 0`);
    if (!(options.unitCapacity > 0)) throw new Error(`${options.name}: unitCapacity must be positive`);
    // The initial fleet is already serving when the simulation starts.
    for (let i = 0; i < options.initial; i++)
      this.tasks.push({ id: this.nextId++, launchedAt: 0, readyAt: 0 });
  }

  get desired(): number {
    return this.tasks.length;
  }

  get running(): number {
    return this.tasks.filter((t) => t.readyAt <= this.now).length;
  }

  get pending(): number {
    return this.desired - this.running;
  }

  /** Demand units the fleet serves now. */
  get capacity(): number {
    return this.running * this.options.unitCapacity;
  }

  /**
   * A placement or capacity fault: tasks launched before `until` (seconds) cannot start until
   * then, and boot after it. `undefined` lifts it.
   */
  blockLaunches(until: number | undefined): void {
    this.blockedUntil = until;
  }

  /** Moves the clock: tasks whose boot delay has passed start serving. */
  advance(time: number): void {
    if (time < this.now) throw new Error(`${this.options.name}: time goes forward (${time} < ${this.now})`);
    this.now = time;
  }

  /**
   * UpdateService / SetDesiredCapacity: launches what is missing, or removes the surplus, booting
   * tasks first (as ECS stops tasks that are not yet running before healthy ones), then the newest.
   */
  setDesired(count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`${this.options.name}: desired must be a whole number >= 0, got ${count}`);
    while (this.tasks.length < count) this.tasks.push(this.launch());
    if (this.tasks.length > count) {
      const byRemovalOrder = [...this.tasks].sort(
        (a, b) =>
          Number(a.readyAt <= this.now) - Number(b.readyAt <= this.now) || b.launchedAt - a.launchedAt,
      );
      const remove = new Set(byRemovalOrder.slice(0, this.tasks.length - count).map((t) => t.id));
      this.tasks = this.tasks.filter((t) => !remove.has(t.id));
    }
  }

  /** StopTask / replacing an instance: the task goes, and the service starts a replacement. */
  replace(taskIndex = 0): void {
    const victim = this.tasks.filter((t) => t.readyAt <= this.now)[taskIndex];
    if (!victim) throw new Error(`${this.options.name}: no running task ${taskIndex} to replace`);
    this.tasks = this.tasks.filter((t) => t.id !== victim.id);
    this.tasks.push(this.launch());
  }

  private launch(): Task {
    const boot = this.options.bootSeconds;
    const delay = typeof boot === 'number' ? boot : boot.min + this.random() * (boot.max - boot.min);
    const startsAt = Math.max(this.now, this.blockedUntil ?? 0);
    return { id: this.nextId++, launchedAt: this.now, readyAt: startsAt + Math.round(delay) };
  }
}

import { TsClock } from '../ts';
import { SlackTeam, SlackUser, WorkspaceFixture } from '../types';
import { ChannelState } from './channel';

/**
 * The workspace as the Web API serves it: users (the fixture's, read lazily, under an overlay of
 * changes and additions) and channels in their listing order.
 */
export class WorkspaceState {
  readonly team: SlackTeam;
  readonly bot: WorkspaceFixture['bot'];
  readonly clock = new TsClock();
  private readonly fixture: WorkspaceFixture;
  /** User id → position: built once (ids only, a few MB for 50,000 users). */
  private readonly userIndex = new Map<string, number>();
  private readonly addedUsers: SlackUser[] = [];
  private readonly changedUsers = new Map<string, SlackUser>();
  readonly channels = new Map<string, ChannelState>();

  constructor(fixture: WorkspaceFixture) {
    this.fixture = fixture;
    this.team = { ...fixture.team };
    this.bot = { ...fixture.bot };
    for (let i = 0; i < fixture.users.count; i++) this.userIndex.set(fixture.users.at(i).id, i);
    for (const c of fixture.channels) {
      const state = new ChannelState(c);
      this.channels.set(c.channel.id, state);
      const newest = state.newestTs();
      if (newest) this.clock.advancePast(newest);
    }
  }

  get userCount(): number {
    return this.fixture.users.count + this.addedUsers.length;
  }

  userAt(i: number): SlackUser {
    const u = i < this.fixture.users.count ? this.fixture.users.at(i) : this.addedUsers[i - this.fixture.users.count];
    return this.changedUsers.get(u.id) ?? u;
  }

  userPosition(id: string): number | undefined {
    return this.userIndex.get(id);
  }

  user(id: string): SlackUser | undefined {
    const i = this.userIndex.get(id);
    return i === undefined ? undefined : this.userAt(i);
  }

  addUser(u: SlackUser): void {
    if (this.userIndex.has(u.id)) throw new Error(`User ${u.id} already exists in the emulated workspace.`);
    this.userIndex.set(u.id, this.userCount);
    this.addedUsers.push(u);
  }

  replaceUser(u: SlackUser): void {
    this.changedUsers.set(u.id, u);
  }

  channel(id: string): ChannelState | undefined {
    return this.channels.get(id);
  }

  /** The channel, or an Error naming the ids that exist (for the test-facing change methods). */
  requireChannel(id: string): ChannelState {
    const c = this.channels.get(id);
    if (!c)
      throw new Error(
        `No channel ${id} in the emulated workspace (known: ${[...this.channels.keys()].slice(0, 10).join(', ')}).`,
      );
    return c;
  }

  addChannel(c: ChannelState): void {
    if (this.channels.has(c.channel.id))
      throw new Error(`Channel ${c.channel.id} already exists in the emulated workspace.`);
    this.channels.set(c.channel.id, c);
  }
}

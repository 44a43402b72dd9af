// End to end in real Chromium: the built web app (packages/web/dist) served by a real CareLoop
// server with a seeded demo population on embedded PGlite. Run `npm run build:web` first.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ManualClock, loadConfig, startServer, type RunningServer } from '@careloop/server';
import { pairBpReadings } from '../src/bpReadings.ts';
import { tagLabels } from '../src/i18n/messages.ts';
import type {
  Inbox,
  InboxMessage,
  MemberList,
  Observation,
  ProfileFact,
  User,
} from '../src/api/types.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const distIndex = join(repoRoot, 'packages/web/dist/index.html');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = {
  signIn: '/tmp/careloop-web-sign-in.png',
  manager: '/tmp/careloop-web-manager.png',
  managerEn: '/tmp/careloop-web-manager-en.png',
  caseload: '/tmp/careloop-web-caseload.png',
  member: '/tmp/careloop-web-member.png',
};

let server: RunningServer;
let browser: Browser;
let baseUrl: string;
let dataDir: string;
const passwords = new Map<string, string>();

/** A signed-in API client in Node, to compare what the page shows with what the API says. */
async function apiAs(username: string) {
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: passwords.get(username) }),
  });
  expect(login.status, `API sign-in as ${username}`).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { user } = (await login.json()) as { user: User };
  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        cookie,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? null : JSON.stringify(init.body),
    });
    const json = (await res.json()) as T;
    expect(res.ok, `${init.method ?? 'GET'} ${path}: ${JSON.stringify(json)}`).toBe(true);
    return json;
  };
  return { user, call };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

beforeAll(async () => {
  if (!existsSync(distIndex)) {
    throw new Error(
      `the web app is not built: ${distIndex} is missing. Run \`npm run build:web\` first.`,
    );
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`,
    );
  }
  dataDir = mkdtempSync(join(tmpdir(), 'careloop-web-e2e-'));
  // Only these variables: a DATABASE_URL in the environment must not send this test to a server.
  const config = loadConfig(
    {
      CARELOOP_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      CARELOOP_DEMO_MEMBERS: '12',
      LOG_LEVEL: 'silent',
      CARELOOP_WORKER_INTERVAL_MS: '0',
    },
    repoRoot,
    repoRoot,
  );
  // A controlled clock, so a care message is not held back by the member's quiet hours (22–08).
  const clock = new ManualClock(new Date());
  server = await startServer(config, { clock });
  baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  for (const l of server.seeded?.logins ?? []) passwords.set(l.username, l.password);
  expect([...passwords.keys()]).toEqual(expect.arrayContaining(['manager', 'member1']));

  // Move to midday in member1's time zone before anyone signs in (sessions follow this clock).
  const tz = await server.db.query<{ time_zone: string }>(
    `SELECT m.time_zone FROM members m JOIN users u ON u.member_id = m.id WHERE u.username = 'member1'`,
  );
  const zone = tz.rows[0]!.time_zone;
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(
      clock.now(),
    ),
  );
  clock.advance(((12 - hour + 24) % 24) * 3_600_000);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('web app in Chromium', () => {
  it('shows the API error for a wrong password and stays on the sign-in page', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'manager', 'certainly-not-the-password');
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('username or password is wrong');
    expect(text).toContain('登录失败');
    expect(await page.locator('input[name=password]').isVisible()).toBe(true);
    expect(await page.getByTestId('member-row').count()).toBe(0);
    await page.screenshot({ path: screenshots.signIn });
    await context.close();
  });

  it('a manager sees the caseload, searches it and opens a member with readings, chart, profile and inbox', async () => {
    const manager = await apiAs('manager');
    const caseload = await manager.call<MemberList>('/members?limit=50');
    expect(caseload.members.length).toBeGreaterThan(0);

    const { context, page } = await newPage();
    await signIn(page, 'manager', passwords.get('manager')!);
    await page.getByTestId('member-row').first().waitFor();
    expect(await page.locator('h1').first().textContent()).toBe('我的会员');
    // Same members, same order as the API ranks them.
    expect(await page.locator('[data-testid=member-row] .member-name').allTextContents()).toEqual(
      caseload.members.map((m) => m.name),
    );
    await page.screenshot({ path: screenshots.caseload, fullPage: true });
    const tagged = caseload.members.find((m) => m.tags.length > 0);
    expect(tagged, 'the demo caseload has a member with a profile flag').toBeDefined();
    const taggedRow = page.getByTestId('member-row').filter({ hasText: tagged!.name });
    expect(await taggedRow.textContent()).toContain(tagLabels[tagged!.tags[0]!]!['zh-CN']);

    // Search narrows the list to what the API returns for the same text.
    const target = caseload.members.find((m) => m.lastReadingAt !== null)!;
    const q = target.name.slice(0, Math.min(3, target.name.length));
    const searched = await manager.call<MemberList>(`/members?limit=50&q=${encodeURIComponent(q)}`);
    await page.getByRole('searchbox').fill(q);
    await expect
      .poll(() => page.locator('[data-testid=member-row] .member-name').allTextContents())
      .toEqual(searched.members.map((m) => m.name));
    await page.getByRole('searchbox').fill('no-such-member-zzz');
    await page.getByTestId('members-empty').waitFor();
    await page.getByRole('searchbox').fill('');
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(caseload.members.length);

    // Open the member.
    await page.getByRole('link', { name: target.name, exact: true }).click();
    await page.waitForURL(`**/#/members/${target.id}`);
    expect(await page.getByTestId('member-name').textContent()).toBe(target.name);

    const sbp = await manager.call<{ observations: Observation[] }>(
      `/members/${target.id}/observations?indicator=sbp&limit=500`,
    );
    const dbp = await manager.call<{ observations: Observation[] }>(
      `/members/${target.id}/observations?indicator=dbp&limit=500`,
    );
    const readings = pairBpReadings(sbp.observations, dbp.observations);
    expect(readings.length).toBeGreaterThan(1);
    const newest = readings[readings.length - 1]!;

    // The chart draws one point per measurement in each series.
    const sbpLine = page.locator('[data-testid=bp-chart] polyline[data-series=sbp]');
    await sbpLine.waitFor();
    const points = (await sbpLine.getAttribute('points'))!.trim().split(/\s+/);
    expect(points).toHaveLength(readings.length);
    const dbpPoints = await page
      .locator('[data-testid=bp-chart] polyline[data-series=dbp]')
      .getAttribute('points');
    expect(dbpPoints!.trim().split(/\s+/)).toHaveLength(readings.length);

    // The table lists the newest reading first, in mmHg.
    const rows = page.getByTestId('bp-row');
    expect(await rows.count()).toBe(Math.min(10, readings.length));
    const firstCells = await rows.first().locator('td').allTextContents();
    expect(firstCells.slice(1, 3)).toEqual([String(newest.sbp), String(newest.dbp)]);
    const bodyText = (await page.locator('body').textContent())!;
    expect(bodyText).toContain('mmHg');
    expect(bodyText).not.toContain('mm[Hg]');
    expect(bodyText).not.toContain('umol/L');

    // Profile flags match the profile; one opens to show its rule and evidence.
    const profile = await manager.call<{ facts: ProfileFact[] }>(`/members/${target.id}/profile`);
    const tagFacts = profile.facts.filter((f) => f.kind === 'tag' && f.value === true);
    await page.getByTestId('profile').locator('h3').first().waitFor();
    expect(await page.getByTestId('profile-tag').count()).toBe(tagFacts.length);
    const explained = profile.facts.find((f) => f.key === 'bp.class') ?? tagFacts[0];
    expect(explained, 'the member has an explained BP fact').toBeDefined();
    const details = page.locator(`details[data-key="${explained!.key}"]`);
    await details.locator('summary').click();
    const detailText = await details.locator('.fact-body').textContent();
    expect(detailText).toContain(explained!.ruleId!);
    expect(await details.locator('.evidence tbody tr').count()).toBe(explained!.evidence.length);

    // The inbox section is there; the care team cannot mark a member's messages.
    const inbox = await manager.call<Inbox>(`/members/${target.id}/inbox`);
    const inboxSection = page.getByTestId('inbox');
    await inboxSection.waitFor();
    if (inbox.messages.length === 0) await page.getByTestId('inbox-empty').waitFor();
    else expect(await page.getByTestId('message').count()).toBe(inbox.messages.length);
    expect(await page.getByTestId('message-open').count()).toBe(0);
    expect(await page.getByTestId('message-act').count()).toBe(0);

    await page.screenshot({ path: screenshots.manager, fullPage: true });

    // English on request.
    await page.getByTestId('lang-toggle').click();
    await expect
      .poll(() => page.locator('#bp-title').textContent())
      .toBe('Blood pressure readings');
    expect(await page.locator('#inbox-title').textContent()).toBe('Inbox');
    await page.screenshot({ path: screenshots.managerEn, fullPage: true });
    await context.close();
  });

  it('a member sees their own readings and inbox, and opens and acts on a message', async () => {
    const member = await apiAs('member1');
    const memberId = member.user.memberId!;
    expect(memberId).toBeTruthy();
    const before = await member.call<Inbox>(`/members/${memberId}/inbox`);

    const { context, page } = await newPage();
    await signIn(page, 'member1', passwords.get('member1')!);
    await page.getByTestId('member-name').waitFor();
    expect(await page.getByTestId('member-name').textContent()).toContain('我的健康');
    await page.locator('[data-testid=bp-chart] polyline[data-series=sbp]').waitFor();
    expect(await page.getByTestId('bp-row').count()).toBeGreaterThan(0);
    // A member sees no caseload and no care-team panels.
    expect(await page.getByTestId('profile').count()).toBe(0);
    expect(await page.getByTestId('care-tasks').count()).toBe(0);
    await page.getByTestId('inbox').waitFor();
    if (before.messages.length === 0) {
      expect(await page.getByTestId('inbox-empty').textContent()).toBe('暂无消息');
    } else {
      expect(await page.getByTestId('message').count()).toBe(before.messages.length);
    }

    // Another member's address still shows only the member's own record.
    const other = (
      await (await apiAs('manager')).call<MemberList>('/members?limit=50')
    ).members.find((m) => m.id !== memberId)!;
    await page.goto(`${baseUrl}/#/members/${other.id}`);
    await page.reload();
    await page.getByTestId('member-name').waitFor();
    const shown = await page.getByTestId('member-name').textContent();
    expect(shown).toContain('我的健康');
    expect(shown).not.toContain(other.name);

    // Their health manager writes to them; it arrives in the inbox.
    const sent = await (
      await apiAs('manager')
    ).call<InboxMessage>(`/members/${memberId}/messages`, {
      method: 'POST',
      body: {
        clientId: 'e2e-web-1',
        text: {
          'zh-CN': '请今天早上服药前测一次血压，并在应用中记录。',
          en: 'Please measure your blood pressure this morning before your medicine and log it.',
        },
      },
    });
    expect(['delivered', 'sent']).toContain(sent.state);

    await page.getByTestId('inbox').getByRole('button', { name: '刷新' }).click();
    const message = page.locator(`[data-testid=message]`).filter({ hasText: '请今天早上服药前' });
    await message.waitFor();
    expect(await message.getByTestId('message-state').textContent()).toBe('未读');
    expect(await page.getByTestId('inbox-unread').textContent()).toContain('1');

    await message.getByTestId('message-open').click();
    await expect.poll(() => message.getByTestId('message-state').textContent()).toBe('已读');
    expect(await message.getByTestId('message-open').count()).toBe(0);
    await message.getByTestId('message-act').click();
    await expect.poll(() => message.getByTestId('message-state').textContent()).toBe('已完成');
    expect(await message.getByTestId('message-act').count()).toBe(0);

    await page.screenshot({ path: screenshots.member, fullPage: true });

    const after = await member.call<Inbox>(`/members/${memberId}/inbox`);
    const recorded = after.messages.find((m) => m.id === sent.id)!;
    expect(recorded.state).toBe('acted');
    expect(recorded.openedAt).not.toBeNull();
    expect(recorded.actedAt).not.toBeNull();
    await context.close();
  });
});

import type { CheckResult, Dto } from '../contract';
import type { CallContext } from '../aura';
import { label } from '../../labels';
import { readPackageProject } from '../../../metadata/project';
import { query, quote } from '../soql';
import { contactAccessOf, run, storedUserId } from './setup';

/*
 * TightknitHealthCheckController.runHealthCheck over the emulator. The org-wide defaults come from the
 * package source (what a fresh install has; the emulator has no EntityDefinition), everything else from
 * the emulator's records as the Apex queries them.
 */

type Row = Dto<typeof CheckResult>;
const HEALTHY = 'healthy';
const ACTION_REQUIRED = 'action_required';
const WARNING = 'warning';
const STALE_AFTER_MINUTES = 30;

/** String.format with `{0}`, `{1}` ... */
const format = (template: string, ...values: Array<string | number>): string =>
  template.replace(/\{(\d+)\}/g, (whole, i: string) =>
    values[Number(i)] !== undefined ? String(values[Number(i)]) : whole,
  );

const row = (key: string, title: string, status: string, detail: string, fix?: [string, string]): Row => ({
  key,
  title,
  status,
  detail,
  fixLabel: fix?.[0] ?? null,
  fixUrl: fix?.[1] ?? null,
});

const MODELS: Record<string, string> = {
  Read: 'Health_Model_Read',
  ReadWrite: 'Health_Model_Read_Write',
  ReadWriteTransfer: 'Health_Model_Read_Write_Transfer',
  ControlledByParent: 'Health_Model_Controlled_By_Parent',
  Private: 'Health_Model_Private',
};
const describeModel = (model: string): string => (MODELS[model] ? label(MODELS[model]) : model);

function sharingChecks(): Row[] {
  const project = readPackageProject();
  return ['Community__c', 'Member__c', 'Activity__c'].map((name) => {
    const object = project.objects.get(name);
    const objectLabel = object?.label ?? name;
    const title = format(label('Health_Check_Sharing_Title'), objectLabel);
    const key = `sharing-${name}`;
    const fix: [string, string] = [label('Health_Fix_In_Setup'), '/lightning/setup/SecuritySharing/home'];
    if (!object?.sharingModel)
      return row(key, title, WARNING, format(label('Health_Sharing_Unknown'), objectLabel), fix);
    if (object.sharingModel === 'Private')
      return row(key, title, ACTION_REQUIRED, label('Health_Sharing_Private'), fix);
    return row(
      key,
      title,
      HEALTHY,
      format(
        label('Health_Sharing_Ok'),
        describeModel(object.sharingModel),
        describeModel(object.externalSharingModel ?? 'Private'),
      ),
    );
  });
}

/** Each check as the Apex guard() runs it: a failure becomes a warning naming the cause. */
async function guard(key: string, title: string, evaluate: () => Promise<Row>): Promise<Row> {
  try {
    return await evaluate();
  } catch (e) {
    return row(key, title, WARNING, format(label('Health_Check_Failed'), e instanceof Error ? e.message : String(e)));
  }
}

async function integrationUserCheck(ctx: CallContext, userId: string | null, wizard: [string, string]): Promise<Row> {
  const key = 'integration-user';
  const title = label('Health_Check_Integration_User_Title');
  return guard(key, title, async () => {
    if (!userId) return row(key, title, ACTION_REQUIRED, label('Health_User_None'), wizard);
    const user = (
      await query(ctx.session, `SELECT Id, Name FROM User WHERE Id = ${quote(userId)} AND IsActive = true`)
    )[0];
    if (!user) return row(key, title, ACTION_REQUIRED, label('Health_User_Inactive'), wizard);
    const assigned = await query(
      ctx.session,
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)} AND PermissionSet.Name = 'Tightknit_Integration_User'`,
    );
    if (assigned.length === 0)
      return row(
        key,
        title,
        ACTION_REQUIRED,
        format(label('Health_User_No_Permission_Set'), String(user.Name)),
        wizard,
      );
    return row(key, title, HEALTHY, format(label('Health_User_Ok'), String(user.Name)));
  });
}

async function contactCheck(ctx: CallContext, userId: string | null, wizard: [string, string]): Promise<Row> {
  const key = 'contact-access';
  const title = label('Health_Check_Contact_Title');
  return guard(key, title, async () => {
    if (!userId) return row(key, title, WARNING, label('Health_Contact_No_User'), wizard);
    const access = await contactAccessOf(ctx, userId);
    if (!access.canRead)
      return row(key, title, ACTION_REQUIRED, label('Health_Contact_Missing'), [
        label('Health_Open_Permission_Sets'),
        '/lightning/setup/PermSets/home',
      ]);
    const detail = format(label('Health_Contact_Ok'), access.grantedBy.join(', '));
    return row(key, title, HEALTHY, access.canCreate ? detail : `${detail} ${label('Health_Contact_No_Create')}`);
  });
}

async function usersGroupCheck(ctx: CallContext, userId: string | null): Promise<Row> {
  const key = 'users-group';
  const title = label('Health_Check_Users_Title');
  return guard(key, title, async () => {
    // The emulator models no permission set groups: the group's one set, Tightknit Read Only, stands for it.
    const assigned = await query(
      ctx.session,
      "SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Tightknit_Read_Only' " +
        `AND Assignee.IsActive = true AND AssigneeId != ${quote(userId ?? '')}`,
    );
    if (assigned.length === 0)
      return row(key, title, WARNING, label('Health_Users_None'), [
        label('Health_Open_Permission_Set_Groups'),
        '/lightning/setup/PermSetGroups/home',
      ]);
    return row(key, title, HEALTHY, format(label('Health_Users_Ok'), assigned.length));
  });
}

async function lastDataCheck(ctx: CallContext): Promise<Row> {
  const key = 'last-data';
  const title = label('Health_Check_Last_Data_Title');
  return guard(key, title, async () => {
    const newest = (
      await query(ctx.session, 'SELECT CreatedDate FROM Activity__c ORDER BY CreatedDate DESC LIMIT 1')
    )[0];
    if (!newest) return row(key, title, WARNING, label('Health_Data_None'));
    const at = new Date(String(newest.CreatedDate));
    const minutes = Math.trunc((ctx.now.getTime() - at.getTime()) / 60_000);
    const shown = at.toLocaleString('en-US', { timeZone: 'UTC' });
    if (minutes > STALE_AFTER_MINUTES)
      return row(key, title, WARNING, format(label('Health_Data_Stale'), shown, minutes));
    return row(key, title, HEALTHY, format(label('Health_Data_Ok'), shown));
  });
}

/** runHealthCheck: the sharing defaults first, then the integration user, Contact access, users and data. */
export async function runHealthCheck(ctx: CallContext): Promise<Row[]> {
  const userId = await run(ctx, () => storedUserId(ctx));
  const wizard: [string, string] = [
    label('Health_Open_Setup_Wizard'),
    `/lightning/n/${ctx.session.namespace}__Tightknit_Setup_Wizard`,
  ];
  return [
    ...sharingChecks(),
    await integrationUserCheck(ctx, userId, wizard),
    await contactCheck(ctx, userId, wizard),
    await usersGroupCheck(ctx, userId),
    await lastDataCheck(ctx),
  ];
}

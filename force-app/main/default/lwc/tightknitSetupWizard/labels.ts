/** Custom labels of the Setup wizard, in one object so the template reads `labels.x`. */
import title from '@salesforce/label/c.Setup_Title';
import intro from '@salesforce/label/c.Setup_Intro';
import progress from '@salesforce/label/c.Setup_Progress';
import recheck from '@salesforce/label/c.Setup_Recheck';
import loadError from '@salesforce/label/c.Setup_Load_Error';
import retry from '@salesforce/label/c.Setup_Retry';
import statusDone from '@salesforce/label/c.Setup_Status_Done';
import statusAttention from '@salesforce/label/c.Setup_Status_Attention';
import step1Title from '@salesforce/label/c.Setup_Step1_Title';
import step1Recommend from '@salesforce/label/c.Setup_Step1_Recommend';
import step1NewUser from '@salesforce/label/c.Setup_Step1_New_User';
import step1Current from '@salesforce/label/c.Setup_Step1_Current';
import step1None from '@salesforce/label/c.Setup_Step1_None';
import step1Inactive from '@salesforce/label/c.Setup_Step1_Inactive';
import step1Search from '@salesforce/label/c.Setup_Step1_Search';
import step1Pick from '@salesforce/label/c.Setup_Step1_Pick';
import step1NoMatch from '@salesforce/label/c.Setup_Step1_No_Match';
import step1ApiOnly from '@salesforce/label/c.Setup_Step1_Api_Only';
import step2Title from '@salesforce/label/c.Setup_Step2_Title';
import step2Explain from '@salesforce/label/c.Setup_Step2_Explain';
import step2Assign from '@salesforce/label/c.Setup_Step2_Assign';
import step2Assigned from '@salesforce/label/c.Setup_Step2_Assigned';
import step2AlreadyAssigned from '@salesforce/label/c.Setup_Step2_Already_Assigned';
import step2Missing from '@salesforce/label/c.Setup_Step2_Missing';
import step2Done from '@salesforce/label/c.Setup_Step2_Done';
import step3Title from '@salesforce/label/c.Setup_Step3_Title';
import step3NeedsUser from '@salesforce/label/c.Setup_Step3_Needs_User';
import step3CanRead from '@salesforce/label/c.Setup_Step3_Can_Read';
import step3NoCreate from '@salesforce/label/c.Setup_Step3_No_Create';
import step3Missing from '@salesforce/label/c.Setup_Step3_Missing';
import step3Why from '@salesforce/label/c.Setup_Step3_Why';
import step3How1 from '@salesforce/label/c.Setup_Step3_How_1';
import step3How2 from '@salesforce/label/c.Setup_Step3_How_2';
import step3How3 from '@salesforce/label/c.Setup_Step3_How_3';
import step3OpenPermissionSets from '@salesforce/label/c.Setup_Step3_Open_Permission_Sets';
import step3CheckAgain from '@salesforce/label/c.Setup_Step3_Check_Again';
import step4Title from '@salesforce/label/c.Setup_Step4_Title';
import step4Explain from '@salesforce/label/c.Setup_Step4_Explain';
import step4PermittedUsers from '@salesforce/label/c.Setup_Step4_Permitted_Users';
import step4PermissionSets from '@salesforce/label/c.Setup_Step4_Permission_Sets';
import step4RefreshToken from '@salesforce/label/c.Setup_Step4_Refresh_Token';
import step4IpRelaxation from '@salesforce/label/c.Setup_Step4_Ip_Relaxation';
import step4Open from '@salesforce/label/c.Setup_Step4_Open';
import step4Confirm from '@salesforce/label/c.Setup_Step4_Confirm';
import step4Undo from '@salesforce/label/c.Setup_Step4_Undo';
import step4Confirmed from '@salesforce/label/c.Setup_Step4_Confirmed';
import opensInNewTab from '@salesforce/label/c.Setup_Opens_In_New_Tab';

export const labels = {
  title,
  intro,
  progress,
  recheck,
  loadError,
  retry,
  statusDone,
  statusAttention,
  step1Title,
  step1Recommend,
  step1NewUser,
  step1Current,
  step1None,
  step1Inactive,
  step1Search,
  step1Pick,
  step1NoMatch,
  step1ApiOnly,
  step2Title,
  step2Explain,
  step2Assign,
  step2Assigned,
  step2AlreadyAssigned,
  step2Missing,
  step2Done,
  step3Title,
  step3NeedsUser,
  step3CanRead,
  step3NoCreate,
  step3Missing,
  step3Why,
  step3How1,
  step3How2,
  step3How3,
  step3OpenPermissionSets,
  step3CheckAgain,
  step4Title,
  step4Explain,
  step4PermittedUsers,
  step4PermissionSets,
  step4RefreshToken,
  step4IpRelaxation,
  step4Open,
  step4Confirm,
  step4Undo,
  step4Confirmed,
  opensInNewTab,
};

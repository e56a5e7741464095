/** Custom labels of the Health Check, in one object so the template reads `labels.x`. */
import title from '@salesforce/label/c.Health_Title';
import intro from '@salesforce/label/c.Health_Intro';
import refresh from '@salesforce/label/c.Health_Refresh';
import loading from '@salesforce/label/c.Health_Loading';
import loadError from '@salesforce/label/c.Health_Load_Error';
import statusHealthy from '@salesforce/label/c.Health_Status_Healthy';
import statusActionRequired from '@salesforce/label/c.Health_Status_Action_Required';
import statusWarning from '@salesforce/label/c.Health_Status_Warning';
import summaryHealthy from '@salesforce/label/c.Health_Summary_Healthy';
import summaryAttention from '@salesforce/label/c.Health_Summary_Attention';
import checkedAt from '@salesforce/label/c.Health_Checked_At';
import opensInNewTab from '@salesforce/label/c.Setup_Opens_In_New_Tab';

export const labels = {
  title,
  intro,
  refresh,
  loading,
  loadError,
  statusHealthy,
  statusActionRequired,
  statusWarning,
  summaryHealthy,
  summaryAttention,
  checkedAt,
  opensInNewTab,
};

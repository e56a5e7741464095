/** Custom labels of the "Link to Contact" quick action. */
import title from '@salesforce/label/c.Setup_Link_Title';
import loading from '@salesforce/label/c.Setup_Link_Loading';
import loadError from '@salesforce/label/c.Setup_Link_Load_Error';
import saveError from '@salesforce/label/c.Setup_Link_Save_Error';
import current from '@salesforce/label/c.Setup_Link_Current';
import notLinked from '@salesforce/label/c.Setup_Link_Not_Linked';
import lockedNote from '@salesforce/label/c.Setup_Link_Locked_Note';
import unlock from '@salesforce/label/c.Setup_Link_Unlock';
import contactLabel from '@salesforce/label/c.Setup_Link_Contact';
import explain from '@salesforce/label/c.Setup_Link_Explain';
import cancel from '@salesforce/label/c.Setup_Link_Cancel';
import save from '@salesforce/label/c.Setup_Link_Save';
import saved from '@salesforce/label/c.Setup_Link_Saved';
import unlocked from '@salesforce/label/c.Setup_Link_Unlocked';

export const labels = {
  title,
  loading,
  loadError,
  saveError,
  current,
  notLinked,
  lockedNote,
  unlock,
  contactLabel,
  explain,
  cancel,
  save,
  saved,
  unlocked,
};

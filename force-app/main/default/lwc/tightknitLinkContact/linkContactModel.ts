/**
 * Plain logic of the "Link to Contact" quick action: the DTO TightknitLinkContactController returns and
 * when Save makes sense. No DOM, no Apex.
 */

export type MemberLink = {
  memberId: string;
  memberName: string;
  email?: string;
  contactId?: string | null;
  contactName?: string | null;
  locked: boolean;
  status?: string | null;
};

/** Save is useful only when the picked Contact differs from the current link (clearing the link counts). */
export function hasChange(link: MemberLink | undefined, selectedContactId: string | null | undefined): boolean {
  if (!link) {
    return false;
  }
  return (link.contactId ?? null) !== (selectedContactId ?? null);
}

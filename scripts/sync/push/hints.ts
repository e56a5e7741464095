import type { ErrorHint } from '../domain';

/** A plain-language explanation of an error code (why it happens and what to do): the shape in domain.ts. */
export type { ErrorHint } from '../domain';

const INTEGRATION_PS = 'the Tightknit Integration User permission set';

type HintSource = ErrorHint | ((message: string) => ErrorHint);

const MISSING_ACCESS: ErrorHint = {
  cause:
    'The integration user may not create or edit these records (Modify All is missing on the Tightknit objects), or may not see the record a lookup points to.',
  fix: `Assign ${INTEGRATION_PS} to the integration user: it grants Create, Read, Edit, Delete, View All and Modify All on Tightknit Community, Community Member and Community Activity. Then run \`tightknit-sync retry <run>\`.`,
};

const CONTACT_UNREADABLE: ErrorHint = {
  cause:
    'The integration user cannot read Contact, so members could not be matched to Contacts (their links were left unchanged).',
  fix: 'Grant Read on Contact (and Create, if "Create Contacts" is on) in a permission set of your own; the package cannot grant it. Then retry.',
};

/** A rejected field: the message tells a hidden Contact__c, an unknown column or a missing parent apart. */
function fieldHint(message: string): ErrorHint {
  if (/Field name not found/i.test(message) && /Contact__c/.test(message)) {
    return {
      cause:
        'The integration user has no field-level access to Member__c.Contact__c, so Salesforce does not recognise the column and fails the whole member job.',
      fix: `Assign ${INTEGRATION_PS} (it grants Read and Edit on Community Member → Contact), or grant that field's access in a permission set of your own. Then retry the run.`,
    };
  }
  if (/Field name not found/i.test(message)) {
    return {
      cause:
        'A column the sync sends is unknown to the integration user: the package is older than the sync, or field-level security hides the field.',
      fix: `Upgrade the Tightknit package and assign ${INTEGRATION_PS}; \`tightknit-sync verify\` lists missing fields.`,
    };
  }
  if (/Foreign key external ID/i.test(message)) {
    return {
      cause:
        'The parent record (community or member) this record points to is not in the org: its own push failed or it was deleted.',
      fix: 'Fix the parent first (see its failures in this run), then retry; held-back records go automatically once the parent exists.',
    };
  }
  return {
    cause: 'Salesforce rejected a field value.',
    fix: 'Read the message; check the field in Setup and retry.',
  };
}

/** A match rule the integration user cannot read: the message names the field, or Lead or Contact. */
function matchingHint(message: string): ErrorHint {
  const field = /matched on (Contact|Lead)\.(\w+)/.exec(message);
  if (field) {
    return {
      cause: `The integration user cannot read ${field[1]}.${field[2]}, a field of the match rules (it does not exist, or field-level security hides it). The members' own data was pushed; their links wait.`,
      fix: `Grant Read on ${field[1]}.${field[2]} in a permission set of your own (or change the rules with \`tightknit-sync configure --match-rule\`), then run \`tightknit-sync check\`. The next run links every waiting member by itself.`,
    };
  }
  const lead = /Leads|read Lead/.test(message);
  return {
    cause: `The integration user cannot read ${lead ? 'Lead' : 'Contact'}, so members could not be matched. The members' own data was pushed; their links wait.`,
    fix: `Grant Read on ${lead ? 'Lead (or turn Lead matching off: `tightknit-sync configure --no-match-leads`)' : 'Contact'} in a permission set of your own (the package cannot grant it), then run \`tightknit-sync check\`. The next run links every waiting member by itself: no backfill, no retry needed.`,
  };
}

/**
 * Hints for the errors an operator meets, keyed by the code at the start of sf__Error (or of a job's
 * errorMessage). A function lets one code carry different advice by its message (e.g. which field is missing).
 */
const HINTS: Readonly<Record<string, HintSource>> = {
  INSUFFICIENT_ACCESS_OR_READONLY: MISSING_ACCESS,
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: MISSING_ACCESS,
  InvalidBatch: fieldHint,
  INVALID_FIELD_FOR_INSERT_UPDATE: fieldHint,
  INVALID_FIELD: fieldHint,
  MATCHING_UNAVAILABLE: matchingHint,
  CONTACT_READ_MISSING: CONTACT_UNREADABLE,
  INVALID_TYPE: CONTACT_UNREADABLE,
  LEAD_READ_MISSING: {
    cause: 'The integration user cannot read Lead, so unmatched members were not linked to Leads.',
    fix: 'Grant Read on Lead in a permission set of your own, or turn Lead matching off.',
  },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: {
    cause: 'A validation rule in the org rejected the record.',
    fix: 'Find the rule named in the message (Setup → Object Manager → the object → Validation Rules); exempt the integration user or relax it, then retry.',
  },
  DUPLICATES_DETECTED: {
    cause: 'A duplicate rule blocked the record (usually a Contact the sync tried to create).',
    fix: 'Let the integration user bypass the rule (Setup → Duplicate Rules → Action On Create: Allow), or merge the existing duplicates, then retry.',
  },
  STRING_TOO_LONG: {
    cause:
      'A value was longer than its field. The sync cuts known fields itself, so the field in the org is shorter than the package defines.',
    fix: 'Check the field length in Setup against the package, or upgrade the package, then retry.',
  },
  REQUEST_LIMIT_EXCEEDED: {
    cause:
      "The org's daily API request allowance is used up; Salesforce refuses calls until older ones age out of the rolling 24 hours.",
    fix: 'Wait and run again (the run says from when); lower the sync frequency with `tightknit-sync configure --interval`.',
  },
  UNABLE_TO_LOCK_ROW: {
    cause:
      'Another process held a lock on the same parent record while Salesforce wrote these rows; the sync retried them and they still collided.',
    fix: 'Nothing, usually: the next run sends these records again by itself. If they keep failing, move data loads and batch jobs on the same records away from the sync interval.',
  },
  REQUIRED_FIELD_MISSING: {
    cause: 'A required field had no value.',
    fix: 'Check the source data of the records listed, then retry.',
  },
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: {
    cause: 'A picklist value is not allowed in the org (the package in the org is older than the sync).',
    fix: 'Upgrade the Tightknit package, then retry.',
  },
  HELD_BACK: {
    cause: 'The member (or community) this record belongs to is not in the org yet.',
    fix: 'Nothing to do when the member is new; otherwise fix the member failure — held-back records go with the next run once it exists.',
  },
};

/** The hint for an error code, or undefined for a code without one. */
export function hintFor(code: string, message = ''): ErrorHint | undefined {
  const hint = Object.hasOwn(HINTS, code) ? HINTS[code] : undefined;
  return typeof hint === 'function' ? hint(message) : hint;
}

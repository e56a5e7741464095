/** The tenant a function acts on: its id scopes the rows, its name goes into messages. */
export interface TenantRef {
  id: number;
  name: string;
}

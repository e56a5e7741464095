import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The people of a server-mode installation: who they are, their role in each tenant, how they sign in
 * and their open sessions. These tables are operator-wide, like `tenants`: a person may belong to several
 * tenants, and sign-in happens before any tenant is chosen. The application role gets no privilege on
 * them; the people layer reads and writes them with the server's own connection. Secrets (passwords,
 * link tokens, session ids) are stored only as hashes.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE people (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- One role per person and tenant; tenant_id NULL is the operator-wide role (only 'operator').
    CREATE TABLE memberships (
      person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
      tenant_id bigint REFERENCES tenants (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'integrations-manager', 'viewer', 'operator')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((tenant_id IS NULL) = (role = 'operator'))
    );
    CREATE UNIQUE INDEX memberships_person_tenant ON memberships (person_id, COALESCE(tenant_id, 0));
    CREATE INDEX memberships_tenant ON memberships (tenant_id);

    -- argon2id hashes in PHC form; the failure count and lock drive the lockout.
    CREATE TABLE password_credentials (
      person_id bigint PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
      hash text NOT NULL CHECK (hash LIKE '$argon2id$%'),
      failed_count integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE invitations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      email text NOT NULL CHECK (email = lower(email)),
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'integrations-manager', 'viewer')),
      invited_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz
    );

    -- One-time links an admin (or the CLI) issues for setting a password.
    CREATE TABLE password_links (
      token_hash text PRIMARY KEY,
      person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );

    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
      -- The tenant the session acts in (a person may belong to several); NULL for an operator-only session.
      tenant_id bigint REFERENCES tenants (id) ON DELETE SET NULL,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_person ON sessions (person_id) WHERE revoked_at IS NULL;

    -- An OpenID Connect sign-in between the redirect and the callback: state, nonce and PKCE verifier.
    CREATE TABLE oidc_attempts (
      state_hash text PRIMARY KEY,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      invitation_token_hash text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
  `);
}

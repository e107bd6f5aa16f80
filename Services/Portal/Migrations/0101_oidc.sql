-- Sign-in through an OpenID Connect provider (optional, `oidc.*` settings).

-- An account of someone who signs in only through the provider has no password.
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;

-- Which provider identity (issuer, subject) is which account. The role and the
-- bindings come from the provider's claims at every sign-in.
CREATE TABLE oidc_identities (
    issuer     text NOT NULL,
    subject    text NOT NULL,
    account_id text NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
);

-- A sign-in on its way through the provider: the state sent there, with the
-- PKCE verifier and the nonce to check the answer against. Used once, within
-- ten minutes.
CREATE TABLE oidc_requests (
    state      text PRIMARY KEY,
    verifier   text NOT NULL,
    nonce      text NOT NULL,
    next_path  text NOT NULL,
    expires_at timestamptz NOT NULL
);

-- The NGOs' signing keys. A new key for a provider sets `expires_at` on the
-- keys it replaces (now + timesheet.key_grace_seconds); the secret is never
-- logged and is shown to the operator once, when the key is made.
CREATE TABLE signing_keys (
    key_id      text PRIMARY KEY,
    provider_id text NOT NULL,
    secret      bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);
CREATE INDEX signing_keys_by_provider ON signing_keys (provider_id);

-- Months an operator closed: new entries for them are refused, changes need a reason.
CREATE TABLE closed_months (
    edition_id text NOT NULL,
    month      text NOT NULL,
    closed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (edition_id, month)
);

-- Assistants record their visits over HTTP with their own bearer token (through
-- the portal): timesheet signs each such entry with one key per NGO reserved for
-- that channel, so it takes the same path as the NGO's own entries, and the
-- version's signature shows it came from an assistant, not from the NGO's system.
-- The NGO never sees this key, and registering a new NGO key does not expire it.
ALTER TABLE signing_keys ADD COLUMN channel text NOT NULL DEFAULT 'ngo' CHECK (channel IN ('ngo', 'assistants'));
CREATE UNIQUE INDEX signing_keys_one_assistant_channel ON signing_keys (provider_id) WHERE channel = 'assistants';

-- The portal owns people's accounts and sessions; the five services own the
-- programme's data and are read only through their APIs. Personal data here:
-- a person's sign-in name and display name. Neither is logged.

-- A person who may sign in. The bindings say whose data the person acts on:
-- an NGO (provider, assistant), an assistant id (assistant), a participant id
-- (participant, signed in by the participant or their legal guardian).
CREATE TABLE accounts (
    id             text PRIMARY KEY,
    login          text NOT NULL UNIQUE CHECK (login = lower(login) AND length(login) BETWEEN 3 AND 120),
    display_name   text NOT NULL,
    role           text NOT NULL CHECK (role IN ('operator', 'coordinator', 'auditor', 'provider', 'assistant', 'participant')),
    provider_id    text,
    assistant_id   text,
    participant_id text,
    -- For a participant's account: whether the person signing in is the participant or their guardian.
    acts_as        text CHECK (acts_as IN ('self', 'guardian')),
    -- scrypt$N$r$p$salt$key, all base64url; see Rules/PasswordHasher.swift.
    password_hash  text NOT NULL,
    invited_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('provider', 'assistant')) = (provider_id IS NOT NULL)),
    CHECK ((role = 'assistant') = (assistant_id IS NOT NULL)),
    CHECK ((role = 'participant') = (participant_id IS NOT NULL)),
    CHECK ((role = 'participant') = (acts_as IS NOT NULL))
);

-- One-time codes: an invitation to staff (from an operator), to an assistant
-- (from their NGO), or the activation code of a participant's letter. Only
-- the code's SHA-256 is kept; the code itself is shown once.
CREATE TABLE activation_codes (
    code_hash      bytea PRIMARY KEY,
    role           text NOT NULL,
    display_name   text NOT NULL,
    provider_id    text,
    assistant_id   text,
    participant_id text,
    acts_as        text,
    issued_by      text NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    used_by        text REFERENCES accounts (id)
);

-- Server-side sessions, shared by every replica. The cookie carries a random
-- token; only its SHA-256 is kept. Idle and absolute expiry are checked on read.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- What a person was typing when their session ran out: after signing in again
-- they get the form back filled in. Kept for an hour, read once.
CREATE TABLE pending_forms (
    id         text PRIMARY KEY,
    path       text NOT NULL,
    fields     jsonb NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Every sign-in and activation attempt: the audit trail, and what throttling
-- counts, per address and per sign-in name. `login` is the name as typed, for
-- a name with no account too, so a locked name tells nobody whether it exists.
-- Never a password or a code.
CREATE TABLE sign_in_attempts (
    at         timestamptz NOT NULL DEFAULT now(),
    kind       text NOT NULL CHECK (kind IN ('sign-in', 'activation', 'sign-out')),
    address    text NOT NULL,
    login      text,
    account_id text,
    outcome    text NOT NULL
);
CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts (address, at);
CREATE INDEX sign_in_attempts_by_login ON sign_in_attempts (login, at);

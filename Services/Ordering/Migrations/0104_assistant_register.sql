-- Why an assistant may not serve a participant: 'related' (family, which a statutory
-- scheme names as its own bar) or 'excluded' (a guardian, the household, any other tie).
ALTER TABLE assistant_exclusions ADD COLUMN relation text NOT NULL DEFAULT 'excluded' CHECK (relation IN ('related', 'excluded'));

-- The register of assistants: each qualification its NGO recorded, from when and until
-- when (NULL: without expiry); a newer record of a kind replaces the older.
CREATE TABLE assistant_qualifications (
    assistant_id text NOT NULL REFERENCES assistants (id),
    kind         text NOT NULL,
    obtained_on  date NOT NULL,
    valid_until  date CHECK (valid_until IS NULL OR valid_until >= obtained_on),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assistant_id, kind)
);

-- A statutory scheme's requirements of its assistants (StatuteRules.assistant as JSON);
-- NULL for a programme edition.
ALTER TABLE editions ADD COLUMN assistant_requirements jsonb;

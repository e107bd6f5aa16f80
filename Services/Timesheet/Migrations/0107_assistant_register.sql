-- A statutory scheme's required qualifications of its assistants (NULL: a programme
-- edition, which asks none), and the register as ordering announces it: the newest
-- record of each kind, from when and until when (NULL: without expiry).
ALTER TABLE editions ADD COLUMN required_qualifications text[];

CREATE TABLE assistant_qualifications (
    assistant_id text NOT NULL,
    kind         text NOT NULL,
    obtained_on  date NOT NULL,
    valid_until  date,
    PRIMARY KEY (assistant_id, kind)
);

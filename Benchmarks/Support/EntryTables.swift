/// The table the raw limit and the naive baseline write: timesheet's
/// `entry_versions` (same columns, same key), so all three write the same rows.
enum EntryTables {
    static let entryVersions = """
        CREATE TABLE entry_versions (
            provider_id    text NOT NULL,
            entry_id       text NOT NULL,
            sequence       integer NOT NULL,
            action         text NOT NULL,
            assistant_id   text NOT NULL,
            order_id       text NOT NULL,
            participant_id text NOT NULL,
            start_at       timestamptz NOT NULL,
            end_at         timestamptz NOT NULL,
            activity       text NOT NULL,
            reason         text,
            event_id       text NOT NULL,
            record         bytea NOT NULL,
            signature      text NOT NULL,
            received_at    timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (provider_id, entry_id, sequence)
        )
        """

    /// The raw limit keeps the record without reading it: its key is where the record sits.
    static let rawRecords = """
        CREATE TABLE raw_records (
            record_partition integer NOT NULL,
            record_offset    bigint NOT NULL,
            participant_id   text NOT NULL,
            record           bytea NOT NULL,
            signature        text NOT NULL,
            received_at      timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (record_partition, record_offset)
        )
        """
}

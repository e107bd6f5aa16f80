-- How long before a service starts a participant may still cancel it, per edition
-- (the edition file's `cancellationNoticeHours`, 24 when it has none). Orders show
-- the last moment (`cancellable_until`); coordinators may cancel later.
ALTER TABLE editions ADD COLUMN cancellation_notice_hours integer NOT NULL DEFAULT 24 CHECK (cancellation_notice_hours >= 0);

-- A participant may name an assistant who served them before; suggestions put
-- that assistant first when free and able. Kept with the order, in ordering only.
ALTER TABLE orders ADD COLUMN preferred_assistant_id text;

-- The order as the API shows it, with both.
CREATE OR REPLACE VIEW order_view AS
SELECT o.id, o.participant_id, o.edition_id, o.grant_id,
       extract(epoch FROM o.start_at)::bigint AS start_epoch,
       extract(epoch FROM o.end_at)::bigint AS end_epoch,
       o.minutes::bigint AS minutes, o.activity, o.place,
       array_to_string(o.required_skills, ',') AS required_skills,
       o.status, o.provider_id, o.assistant_id, o.cancelled_by,
       COALESCE((SELECT sum(d.minutes) FROM deliveries d WHERE d.order_id = o.id), 0)::bigint AS delivered_minutes,
       EXISTS (SELECT 1 FROM ratings r WHERE r.order_id = o.id) AS rated,
       o.placed_at,
       extract(epoch FROM o.start_at - make_interval(hours => COALESCE(e.cancellation_notice_hours, 24)))::bigint AS cancellable_until_epoch,
       o.preferred_assistant_id
FROM orders o LEFT JOIN editions e ON e.id = o.edition_id;

-- How an automatic grant's hours were reached (HoursBasis as JSON): the cap
-- pro-rated to the months, the declared need, the monthly limit. NULL for
-- decisions without a grant, for an operator's override, and for decisions made
-- before this column existed.
ALTER TABLE decisions ADD COLUMN hours_basis jsonb;

-- A statutory grant (SupportGranted v2) is a budget each month: hours_per_month,
-- with the unused hours carried into the next month when carry_over. NULL for a
-- programme grant, whose granted_hours are one budget for the whole period.
ALTER TABLE grants ADD COLUMN hours_per_month integer CHECK (hours_per_month > 0);
ALTER TABLE grants ADD COLUMN carry_over boolean;

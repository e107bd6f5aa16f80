-- A statutory scheme's grant is a budget each month (MonthlyBudget as JSON: hours a
-- month, whether unused hours carry over, how the figure was reached); `hours` is then
-- the budget over the whole period. NULL for a programme edition's decisions.
ALTER TABLE decisions ADD COLUMN monthly_budget jsonb;

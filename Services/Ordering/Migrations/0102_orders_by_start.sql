-- The coordinators' list of a week's orders (GET /orders?from=&to=&status=).
CREATE INDEX orders_by_start ON orders (start_at, id);

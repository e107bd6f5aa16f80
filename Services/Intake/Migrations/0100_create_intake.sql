-- The intake service's own tables come with its feature work.
CREATE TABLE service_info (name text PRIMARY KEY);
INSERT INTO service_info VALUES ('intake');

-- The enterprises whose credit code awaits confirmation, as the home page
-- counts them and the list filters them: a few among a million.
CREATE INDEX enterprises_unconfirmed ON enterprises (id) WHERE code_unconfirmed = TRUE;

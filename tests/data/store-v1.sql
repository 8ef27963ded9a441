-- A store made by tracker's schema version 1, for the migration test.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE "categories" (
   "id" TEXT PRIMARY KEY,
   "title" TEXT,
   "description" TEXT,
   "position" INTEGER
);
INSERT INTO "categories" VALUES('obstacles','Obstacles',NULL,0);
CREATE TABLE "event_links" (
   "event_id" TEXT REFERENCES "events"("id"),
   "indicator_id" TEXT REFERENCES "indicators"("id"),
   PRIMARY KEY ("event_id", "indicator_id")
);
CREATE TABLE "events" (
   "id" TEXT PRIMARY KEY,
   "date" TEXT,
   "end_date" TEXT,
   "title" TEXT,
   "kind" TEXT,
   "source" TEXT,
   "confidence" TEXT,
   "note" TEXT,
   "origin" TEXT,
   "recorded_at" TEXT,
   "retired_at" TEXT
);
INSERT INTO "events" VALUES('old-event','2024-09-05',NULL,'An event','other','https://example.org/old','high',NULL,'catalog','2025-04-01T00:00:00Z',NULL);
CREATE TABLE "fields" (
   "category_id" TEXT REFERENCES "categories"("id"),
   "field" TEXT,
   "label" TEXT,
   "scale_id" TEXT REFERENCES "scales"("id"),
   "position" INTEGER,
   "freshness" TEXT,
   "description" TEXT,
   PRIMARY KEY ("category_id", "field")
);
INSERT INTO "fields" VALUES('obstacles','severity','Severity','severity',1,NULL,NULL);
CREATE TABLE "group_members" (
   "group_id" TEXT REFERENCES "groups"("id"),
   "party" TEXT REFERENCES "parties"("code"),
   PRIMARY KEY ("group_id", "party")
);
CREATE TABLE "groups" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "source" TEXT,
   "as_of" TEXT,
   "confidence" TEXT,
   "note" TEXT
);
CREATE TABLE "indicators" (
   "id" TEXT PRIMARY KEY,
   "category_id" TEXT REFERENCES "categories"("id"),
   "name" TEXT,
   "description" TEXT,
   "aliases" TEXT,
   "tier" INTEGER,
   "table_no" INTEGER,
   "kind" TEXT,
   "position" INTEGER,
   "criteria_un" TEXT,
   "criteria_purpose" TEXT,
   "criteria_binding" TEXT,
   "criteria_source" TEXT,
   "criteria_confidence" TEXT,
   "criteria_note" TEXT,
   "added_at" TEXT,
   "retired_at" TEXT
);
INSERT INTO "indicators" VALUES('pace-mismatch','obstacles','Pace mismatch',NULL,'[]',NULL,NULL,NULL,1,NULL,NULL,NULL,NULL,NULL,NULL,'2025-01-01T00:00:00Z',NULL);
INSERT INTO "indicators" VALUES('old-row','obstacles','A row no catalog has any more',NULL,'[]',NULL,NULL,NULL,2,NULL,NULL,NULL,NULL,NULL,NULL,'2025-01-01T00:00:00Z',NULL);
CREATE TABLE "ledgers" (
   "mechanism_id" TEXT PRIMARY KEY REFERENCES "indicators"("id"),
   "complete" INTEGER,
   "note" TEXT
);
INSERT INTO "ledgers" VALUES('pace-mismatch',0,'odd but allowed by schema 1');
CREATE TABLE "memberships" (
   "id" INTEGER PRIMARY KEY,
   "mechanism_id" TEXT NOT NULL REFERENCES "indicators"("id"),
   "party" TEXT NOT NULL REFERENCES "parties"("code"),
   "role" TEXT NOT NULL,
   "date" TEXT NOT NULL,
   "source" TEXT NOT NULL,
   "confidence" TEXT NOT NULL,
   "note" TEXT,
   "origin" TEXT,
   "recorded_at" TEXT
);
INSERT INTO "memberships" VALUES(1,'pace-mismatch','GBR','signed','2024-09-05','https://example.org/old','high',NULL,'catalog','2025-04-01T00:00:00Z');
CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
INSERT INTO "meta" VALUES('catalog_digest','made-by-schema-1');
CREATE TABLE "observations" (
   "id" INTEGER PRIMARY KEY,
   "indicator_id" TEXT NOT NULL REFERENCES "indicators"("id"),
   "field" TEXT NOT NULL,
   "value" TEXT NOT NULL,
   "value_num" REAL,
   "as_of" TEXT NOT NULL,
   "recorded_at" TEXT NOT NULL,
   "origin" TEXT NOT NULL,
   "source" TEXT NOT NULL,
   "confidence" TEXT NOT NULL,
   "note" TEXT,
   "author" TEXT
);
INSERT INTO "observations" VALUES(1,'pace-mismatch','severity','High',NULL,'2024-06','2025-04-01T00:00:00Z','catalog','https://example.org/old','medium','kept across upgrades',NULL);
INSERT INTO "observations" VALUES(2,'pace-mismatch','severity','Moderate',NULL,'2025-03','2025-04-01T00:00:00Z','analyst','analyst','medium','kept across upgrades','ana');
INSERT INTO "observations" VALUES(3,'old-row','severity','Low',NULL,'2024-06','2025-04-01T00:00:00Z','catalog','https://example.org/old','low',NULL,NULL);
CREATE TABLE "parties" (
   "code" TEXT PRIMARY KEY,
   "name" TEXT,
   "kind" TEXT
);
INSERT INTO "parties" VALUES('GBR','United Kingdom','country');
CREATE TABLE "references" (
   "id" TEXT PRIMARY KEY,
   "title" TEXT,
   "publisher" TEXT,
   "date" TEXT,
   "url" TEXT,
   "note" TEXT
);
CREATE TABLE "scales" (
   "id" TEXT PRIMARY KEY,
   "kind" TEXT,
   "levels" TEXT,
   "unranked" TEXT,
   "better" TEXT,
   "unit" TEXT
);
INSERT INTO "scales" VALUES('severity','ordinal','["Low", "Moderate", "High"]','[]','lower',NULL);
INSERT INTO "scales" VALUES('text','text','[]','[]','none',NULL);
CREATE INDEX "idx_observations_indicator_id_field_as_of"
    ON "observations" ("indicator_id", "field", "as_of");
CREATE UNIQUE INDEX "idx_memberships_mechanism_id_party_role_date"
    ON "memberships" ("mechanism_id", "party", "role", "date");
CREATE INDEX "idx_memberships_party"
    ON "memberships" ("party");
CREATE INDEX "idx_events_date"
    ON "events" ("date");
CREATE VIEW "current_values" AS 
SELECT o.* FROM (
  SELECT observations.*, ROW_NUMBER() OVER (
    PARTITION BY indicator_id, field ORDER BY as_of DESC, recorded_at DESC, id DESC
  ) AS rank
  FROM observations
) AS o
WHERE o.rank = 1;
COMMIT;

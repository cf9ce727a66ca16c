-- Waymark file format 6: the exact schema of a version-6 .cjm file.
--
-- Frozen: never edit this file. A file of this version is checked against exactly this SQL
-- (whitespace included) before it is migrated. The next version is a new file beside this
-- one, plus one function in app/model/migrations.py.

CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE blobs (
	hash VARCHAR NOT NULL, 
	mime VARCHAR NOT NULL, 
	data BLOB NOT NULL, 
	PRIMARY KEY (hash)
);

CREATE TABLE history (
	seq INTEGER NOT NULL, 
	label TEXT NOT NULL, 
	ops TEXT NOT NULL, 
	merge_key VARCHAR, 
	created VARCHAR NOT NULL, 
	PRIMARY KEY (seq)
);

CREATE TABLE versions (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	created VARCHAR NOT NULL, 
	snapshot BLOB NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE personas (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	role TEXT NOT NULL, 
	quote TEXT NOT NULL, 
	goals TEXT NOT NULL, 
	frustrations TEXT NOT NULL, 
	motivations TEXT NOT NULL, 
	photo VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(photo) REFERENCES blobs (hash)
);

CREATE TABLE maps (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	description TEXT NOT NULL, 
	persona_id INTEGER, 
	experience_goals TEXT NOT NULL, 
	owner TEXT NOT NULL, 
	last_reviewed VARCHAR, 
	review_interval_days INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(persona_id) REFERENCES personas (id)
);

CREATE TABLE stages (
	id INTEGER NOT NULL, 
	map_id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	description TEXT NOT NULL, 
	position INTEGER NOT NULL, 
	phase TEXT NOT NULL, 
	colour VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(map_id) REFERENCES maps (id)
);

CREATE INDEX ix_stages_map_id ON stages (map_id);

CREATE TABLE lanes (
	id INTEGER NOT NULL, 
	map_id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	kind VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	collapsed BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(map_id) REFERENCES maps (id)
);

CREATE INDEX ix_lanes_map_id ON lanes (map_id);

CREATE TABLE cards (
	id INTEGER NOT NULL, 
	map_id INTEGER NOT NULL, 
	stage_id INTEGER NOT NULL, 
	lane_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	title TEXT NOT NULL, 
	body TEXT NOT NULL, 
	channel TEXT NOT NULL, 
	device TEXT NOT NULL, 
	owner TEXT NOT NULL, 
	emotion INTEGER, 
	tags TEXT NOT NULL, 
	colour VARCHAR, 
	votes INTEGER NOT NULL, 
	source VARCHAR, 
	metrics TEXT NOT NULL, 
	image VARCHAR, author TEXT DEFAULT '' NOT NULL, cluster_id INTEGER REFERENCES clusters (id), 
	PRIMARY KEY (id), 
	FOREIGN KEY(map_id) REFERENCES maps (id), 
	FOREIGN KEY(stage_id) REFERENCES stages (id), 
	FOREIGN KEY(lane_id) REFERENCES lanes (id), 
	FOREIGN KEY(image) REFERENCES blobs (hash)
);

CREATE INDEX ix_cards_map_id ON cards (map_id);

CREATE INDEX ix_cards_stage_id ON cards (stage_id);

CREATE INDEX ix_cards_lane_id ON cards (lane_id);

CREATE TABLE links (
	id INTEGER NOT NULL, 
	map_id INTEGER NOT NULL, 
	source_id INTEGER NOT NULL, 
	target_id INTEGER NOT NULL, 
	persona_id INTEGER, 
	label TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(map_id) REFERENCES maps (id), 
	FOREIGN KEY(source_id) REFERENCES cards (id), 
	FOREIGN KEY(target_id) REFERENCES cards (id), 
	FOREIGN KEY(persona_id) REFERENCES personas (id)
);

CREATE INDEX ix_links_map_id ON links (map_id);

CREATE INDEX ix_links_source_id ON links (source_id);

CREATE INDEX ix_links_target_id ON links (target_id);

CREATE TABLE clusters (id INTEGER NOT NULL, map_id INTEGER NOT NULL, label TEXT NOT NULL, colour VARCHAR, PRIMARY KEY (id), FOREIGN KEY(map_id) REFERENCES maps (id));

CREATE INDEX ix_clusters_map_id ON clusters (map_id);

CREATE TABLE voters (id INTEGER NOT NULL, map_id INTEGER NOT NULL, name TEXT NOT NULL, budget INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(map_id) REFERENCES maps (id));

CREATE INDEX ix_voters_map_id ON voters (map_id);

CREATE TABLE dots (id INTEGER NOT NULL, map_id INTEGER NOT NULL, voter_id INTEGER NOT NULL, card_id INTEGER NOT NULL, PRIMARY KEY (id), FOREIGN KEY(map_id) REFERENCES maps (id), FOREIGN KEY(voter_id) REFERENCES voters (id), FOREIGN KEY(card_id) REFERENCES cards (id));

CREATE INDEX ix_dots_map_id ON dots (map_id);

CREATE INDEX ix_dots_voter_id ON dots (voter_id);

CREATE INDEX ix_dots_card_id ON dots (card_id);

CREATE TABLE feelings (
    id INTEGER NOT NULL,
    map_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(map_id) REFERENCES maps (id),
    FOREIGN KEY(stage_id) REFERENCES stages (id)
);

CREATE INDEX ix_feelings_map_id ON feelings (map_id);

CREATE INDEX ix_feelings_stage_id ON feelings (stage_id);

CREATE TABLE room_participants (
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    token_hash VARCHAR,
    joined VARCHAR NOT NULL,
    removed BOOLEAN NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (token_hash)
);

CREATE TABLE room_receipts (
    participant_id INTEGER NOT NULL,
    "key" VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    result TEXT NOT NULL,
    created VARCHAR NOT NULL,
    PRIMARY KEY (participant_id, "key")
);

CREATE TABLE room_inbox (
    id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    map_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    status VARCHAR NOT NULL,
    card_id INTEGER,
    created VARCHAR NOT NULL,
    PRIMARY KEY (id)
);

CREATE INDEX ix_room_inbox_participant_id ON room_inbox (participant_id);

CREATE TABLE room_voters (
    voter_id INTEGER NOT NULL,
    participant_id INTEGER NOT NULL,
    PRIMARY KEY (voter_id)
);

CREATE INDEX ix_room_voters_participant_id ON room_voters (participant_id);

CREATE TABLE settings (
    id INTEGER NOT NULL,
    "key" VARCHAR NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE ("key")
);

CREATE TABLE history_parts (
    seq INTEGER NOT NULL,
    part INTEGER NOT NULL,
    ops TEXT NOT NULL,
    PRIMARY KEY (seq, part),
    FOREIGN KEY(seq) REFERENCES history (seq)
);

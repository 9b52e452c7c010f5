CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`role` text NOT NULL,
	`unit` text,
	`label` text,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`unit`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`request_id` text NOT NULL,
	`actor_key` text NOT NULL,
	`actor_role` text NOT NULL,
	`action` text NOT NULL,
	`cycle_id` integer,
	`unit` text,
	`indicator` text,
	`source` text,
	`before` text,
	`after` text,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `audit_cycle_unit` ON `audit` (`cycle_id`,`unit`);--> statement-breakpoint
CREATE TABLE `cycles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`unit_type` text NOT NULL,
	`methodology_id` text NOT NULL,
	`methodology_version` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`data_version` integer DEFAULT 0 NOT NULL,
	`synthetic` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cycles_year_type` ON `cycles` (`year`,`unit_type`);--> statement-breakpoint
CREATE TABLE `methodologies` (
	`id` text NOT NULL,
	`version` integer NOT NULL,
	`unit_type` text NOT NULL,
	`mode` text NOT NULL,
	`name_vi` text,
	`name_en` text,
	`document` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `regions` (
	`code` text PRIMARY KEY NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `results` (
	`cycle_id` integer PRIMARY KEY NOT NULL,
	`cache_key` text NOT NULL,
	`body` text NOT NULL,
	`computed_at` text NOT NULL,
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `revision_parts` (
	`cycle_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`part` text NOT NULL,
	`seq` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`cycle_id`, `revision`, `part`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `revisions` (
	`cycle_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`methodology_id` text NOT NULL,
	`methodology_version` integer NOT NULL,
	`content_hash` text NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text NOT NULL,
	`reason` text,
	PRIMARY KEY(`cycle_id`, `revision`),
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scores` (
	`cycle_id` integer NOT NULL,
	`unit` text NOT NULL,
	`indicator` text NOT NULL,
	`source` text NOT NULL,
	`value` text,
	`points` real,
	`note` text,
	`evidence` text,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`cycle_id`, `unit`, `indicator`, `source`),
	FOREIGN KEY (`cycle_id`) REFERENCES `cycles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `unit_lineage` (
	`unit` text NOT NULL,
	`predecessor` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`part` integer DEFAULT false NOT NULL,
	`weight` real,
	`note` text,
	PRIMARY KEY(`unit`, `predecessor`),
	FOREIGN KEY (`unit`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`predecessor`) REFERENCES `units`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lineage_predecessor` ON `unit_lineage` (`predecessor`);--> statement-breakpoint
CREATE TABLE `units` (
	`code` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`name_vi` text NOT NULL,
	`name_en` text NOT NULL,
	`search_key` text NOT NULL,
	`official_code` text,
	`region` text,
	`valid_from` text,
	`valid_to` text,
	`ranked` integer DEFAULT true NOT NULL,
	`former_names` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`region`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `units_type` ON `units` (`type`);--> statement-breakpoint
CREATE TABLE `write_guards` (
	`ok` integer NOT NULL
);

ALTER TABLE `revisions` ADD `decision_number` text;--> statement-breakpoint
ALTER TABLE `revisions` ADD `decision_date` text;
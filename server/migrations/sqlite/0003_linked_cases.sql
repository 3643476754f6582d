-- A complaint that also reports a violation is filed as two items, linked to each other.
ALTER TABLE cases ADD COLUMN linked_case_no TEXT;

-- Reserved for the audit migration (issue 14), which replaces this file
-- when the branches merge: tern needs migrations numbered without gaps,
-- and the API tokens are 008.
SELECT 1;

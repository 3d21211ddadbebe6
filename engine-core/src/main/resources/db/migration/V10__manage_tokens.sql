-- The built-in administrator permission set holds every system permission (DirectoryService
-- creates it with all of them on a fresh install); on an existing install it gains the new
-- MANAGE_TOKENS here.
INSERT INTO directory_permission_grants (permission_set_id, scope, target, field, permission)
SELECT id, 'SYSTEM', '', '', 'MANAGE_TOKENS'
FROM directory_permission_sets
WHERE id = 'system-administrator'
  AND NOT EXISTS (
    SELECT 1 FROM directory_permission_grants
    WHERE permission_set_id = 'system-administrator' AND scope = 'SYSTEM'
      AND permission = 'MANAGE_TOKENS');

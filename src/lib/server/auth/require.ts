import { error } from '@sveltejs/kit';
import { can, type Permission, type Viewer } from './access.ts';

/**
 * The signed-in viewer when they hold `permission`; 403 otherwise. For loads and actions that
 * need more than their route's rule, and as a second check in actions that change data.
 */
export function requirePermission(viewer: Viewer | null, permission: Permission): Viewer {
	if (!viewer) error(401, 'Sign in first');
	if (!can(viewer, permission)) error(403, 'You do not have permission to do this');
	return viewer;
}

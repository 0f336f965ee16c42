import type { Feature } from '../core/feature.js';
import { settingsCommand } from './commands/settings.js';
import type { SettingsService } from './service.js';

/** Settings per workspace and server: `/settings`. The other features read them through the service. */
export function settingsFeature(settings: SettingsService): Feature {
  return { name: 'settings', commands: [settingsCommand(settings)] };
}

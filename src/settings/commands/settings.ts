import { text as textArg, type ArgType } from '../../core/args.js';
import { arg, defineCommand, subcommand, type Command } from '../../core/command.js';
import { context, fields, notice, type Reply } from '../../core/reply.js';
import { findSetting, SETTINGS, unknownSetting, type SettingDefinition } from '../definitions.js';
import { settingsScope, type SettingsService } from '../service.js';

const REFUSAL = 'Only channel managers can see and change the settings.';
const ALL = 'all';

/**
 * The name of a setting, as the first word after `set` or `reset`: any other first word is refused
 * by name with a "did you mean"; later words are left to the value.
 */
function settingName(o: { all: boolean }): ArgType<SettingDefinition | typeof ALL> {
  const extra = o.all ? [ALL] : [];
  return {
    placeholder: o.all ? 'setting|all' : 'setting',
    what: 'a setting',
    read(words, at) {
      if (at !== 0) return undefined;
      const word = words[0]!;
      if (o.all && word.toLowerCase() === ALL) return { value: ALL, used: 1 };
      const setting = findSetting(word);
      return setting ? { value: setting, used: 1 } : { error: unknownSetting(word, extra) };
    },
    vocabulary: () => [...SETTINGS.map((s) => s.name), ...extra],
    native: { type: 'string', choices: [...SETTINGS.map((s) => ({ label: s.label, value: s.name })), ...extra.map((e) => ({ label: 'All of them', value: e }))] },
    show: (v) => (v === ALL ? ALL : v.name),
  };
}

const DETAILS = [
  'Settings of this workspace (Slack) or server (Discord), for channel managers. What is not set here comes from the environment.',
  ...SETTINGS.map((s) => `• **${s.name}**: ${s.description}, e.g. \`/settings set ${s.name} ${s.example}\``),
].join('\n');

async function show(settings: SettingsService, address: string): Promise<Reply> {
  const rows = await settings.describe(address);
  const place = settingsScope(address) ? '' : ' (a direct message has no server: the defaults apply)';
  return {
    title: 'Settings here',
    ephemeral: true,
    blocks: [
      fields(rows.map((r) => ({ label: r.setting.label, value: `${r.shown} · ${r.setAt ? `set here on ${r.setAt.slice(0, 10)}` : 'the default'}` }))),
      context(
        `${place ? `Defaults only${place}. ` : ''}\`/settings set <setting> <value>\` changes one (${SETTINGS.map((s) => `\`${s.name}\``).join(', ')}); \`/settings reset <setting|all>\` goes back to the default. Allowed topics limit quizzes and daily posts; \`/explain\`, \`/topics\` and \`/random\` still answer about every topic.`,
      ),
    ],
  };
}

export function settingsCommand(settings: SettingsService): Command {
  return defineCommand({
    name: 'settings',
    visibleTo: 'managers',
    summary: 'This workspace’s or server’s settings: answer time, time zone, managers, allowed topics',
    details: DETAILS,
    default: 'show',
    subcommands: [
      subcommand({
        name: 'show',
        permission: 'managers',
        refusal: REFUSAL,
        summary: 'Every setting here, and whether it was set here or is the default',
        args: {},
        run: ({ address }) => show(settings, address),
      }),
      subcommand({
        name: 'set',
        permission: 'managers',
        refusal: REFUSAL,
        summary: 'Change a setting for this whole workspace or server',
        details: `Change a setting for this whole workspace or server: ${SETTINGS.map((s) => `\`${s.name}\``).join(', ')}`,
        args: {
          setting: arg(settingName({ all: false }), { description: 'Which: answer-time, timezone, managers or topics', required: true }),
          value: arg(textArg({ placeholder: 'value' }), { description: 'Its new value: 30s, Europe/Berlin, a group or role id, kafka spark' }),
        },
        examples: SETTINGS.map((s) => `${s.name} ${s.example}`),
        async run({ args, address }) {
          const setting = args.setting as SettingDefinition;
          if (!args.value?.trim()) return notice(`Give a value: \`/settings set ${setting.name} ${setting.example}\`. ${setting.label}: ${setting.description}.`);
          const result = await settings.set(address, setting, args.value);
          if ('error' in result) return notice(result.error);
          return notice(`${setting.label} here ${setting.plural ? 'are' : 'is'} now ${result.shown}.${result.note ? ` (${result.note}.)` : ''} \`/settings reset ${setting.name}\` goes back to the default.`);
        },
      }),
      subcommand({
        name: 'reset',
        permission: 'managers',
        refusal: REFUSAL,
        summary: 'Go back to the default of a setting, or of all of them',
        args: { setting: arg(settingName({ all: true }), { description: 'Which setting, or all', required: true }) },
        examples: ['answer-time', 'all'],
        async run({ args, address }) {
          const which = args.setting;
          const result = await settings.reset(address, which === ALL ? undefined : [which as SettingDefinition]);
          if (typeof result !== 'number') return notice(result.error);
          if (which === ALL) return notice(result ? `Reset ${result} setting${result === 1 ? '' : 's'}: the defaults apply here again.` : 'Nothing was set here: the defaults apply.');
          const setting = which as SettingDefinition;
          const now = setting.showDefault(settings.defaults);
          const [is, was] = setting.plural ? ['are', 'were'] : ['is', 'was'];
          return notice(result ? `${setting.label} ${is} back to the default: ${now}.` : `${setting.label} ${was} not set here; ${setting.plural ? 'they are' : 'it is'} the default: ${now}.`);
        },
      }),
    ],
  });
}

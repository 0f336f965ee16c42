import type { Command, CommandRegistry } from '../registry.js';
import { context, fields, notice, reply } from '../reply.js';
import { quoteUserText } from '../cards.js';

export function helpCommand(registry: () => CommandRegistry): Command {
  return {
    name: 'help',
    aliases: ['start', 'commands'],
    summary: 'List the commands, or explain one',
    usage: 'help [command]',
    options: [{ name: 'command', description: 'A command to explain', type: 'string' }],
    accepts: (args) => !args.trim() || registry().get(args.trim().replace(/^\//, '')) !== undefined,
    async run(request) {
      const name = request.args.trim().replace(/^\//, '').toLowerCase();
      if (name) {
        const command = registry().get(name);
        if (!command) return notice(`There is no command “${quoteUserText(name, 40)}”. Type \`/help\` for the list.`);
        return reply(
          [fields([{ label: 'Usage', value: `\`/${command.usage}\`` }, ...(command.aliases.length ? [{ label: 'Also', value: command.aliases.map((a) => `/${a}`).join(', ') }] : [])]), context(command.summary)],
          { title: `/${command.name}`, ephemeral: true },
        );
      }
      return reply(
        [
          fields(registry().all().map((c) => ({ label: `/${c.usage}`, value: c.summary }))),
          context('Ask in your own words: `/explain what is an xcom?` works, typos included.'),
        ],
        { title: 'Backfill: data engineering, one concept at a time', ephemeral: true },
      );
    },
  };
}

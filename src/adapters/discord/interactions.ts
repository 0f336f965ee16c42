import { ApplicationCommandOptionType, MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type CommandInteractionOption, type Interaction } from 'discord.js';
import type { Bot } from '../../core/bot.js';
import type { Logger } from '../../core/log.js';
import type { NativeArgs } from '../../core/parse.js';
import type { Reply } from '../../core/reply.js';
import { RESTARTING } from '../restarting.js';
import { discordChoices } from './commands.js';
import { discordAddress, interactionUser } from './identity.js';
import { replyOnlyReason } from './reach.js';
import { channelMessage, renderForDiscord } from './render.js';

export interface InteractionContext {
  bot: Bot;
  log: Logger;
  /**
   * Work not done by then is deferred. Discord drops an interaction not answered within 3 s of
   * sending it, and the network takes its share of those.
   */
  deferAfterMs: number;
}

const SORRY = 'Sorry, I could not answer that. It has been logged; please try again.';
const POSTED = 'Posted in the channel.';
const SLOW = Symbol('slow');

function within<T>(work: Promise<T>, ms: number): Promise<T | typeof SLOW> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<typeof SLOW>((resolve) => {
    timer = setTimeout(() => resolve(SLOW), ms);
  });
  return Promise.race([work, slow]).finally(() => clearTimeout(timer));
}

/**
 * Answers in one reply when the core is quick. When it is not: a button defers its update and
 * follows up with the reply; a command defers privately, then fills that in, or (for a reply
 * meant for everyone, which a private deferral cannot become) says where it went and posts it.
 */
async function answer(interaction: ChatInputCommandInteraction | ButtonInteraction, work: Promise<Reply>, deferAfterMs: number): Promise<void> {
  const early = await within(work, deferAfterMs);
  if (early !== SLOW) {
    await interaction.reply(renderForDiscord(early));
    return;
  }
  if (interaction.isButton()) {
    await interaction.deferUpdate();
    await interaction.followUp(renderForDiscord(await work));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = await work;
  if (reply.ephemeral) {
    await interaction.editReply(channelMessage(reply));
    return;
  }
  await interaction.editReply({ content: POSTED, embeds: [], components: [] });
  await interaction.followUp(renderForDiscord(reply));
}

/** The subcommand and typed option values of a slash command, by name, for the core's parser. */
export function nativeArgs(data: readonly CommandInteractionOption[]): NativeArgs {
  const [first] = data;
  const subcommand = first?.type === ApplicationCommandOptionType.Subcommand ? first.name : undefined;
  const options = subcommand ? (first?.options ?? []) : data;
  const values: NativeArgs['values'] = {};
  for (const o of options) values[o.name] = o.value ?? undefined;
  return { subcommand, values };
}

async function command(interaction: ChatInputCommandInteraction, ctx: InteractionContext): Promise<void> {
  const replyOnly = replyOnlyReason(interaction);
  const work = ctx.bot.handle({
    kind: 'command',
    address: discordAddress(interaction.guildId, interaction.channelId),
    user: interactionUser(interaction),
    command: interaction.commandName,
    args: '',
    native: nativeArgs(interaction.options.data),
    ...(replyOnly ? { replyOnly } : {}),
  });
  await answer(interaction, work, ctx.deferAfterMs);
}

/** Every click gets an answer from the core, a closed quiz question's included. */
async function button(interaction: ButtonInteraction, ctx: InteractionContext): Promise<void> {
  const work = ctx.bot.handle({
    kind: 'action',
    address: discordAddress(interaction.guildId, interaction.channelId),
    user: interactionUser(interaction),
    action: interaction.customId,
    messageId: interaction.message.id,
  });
  await answer(interaction, work, ctx.deferAfterMs);
}

/** Autocomplete cannot be deferred: answered at once by the argument's own completer (concepts, topics, zones). */
async function autocomplete(interaction: AutocompleteInteraction, ctx: InteractionContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const choices = ctx.bot.complete({ command: interaction.commandName, subcommand: interaction.options.getSubcommand(false) ?? undefined, option: focused.name, value: String(focused.value) });
  await interaction.respond(discordChoices(choices));
}

async function apologise(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond([]);
  } else if (interaction.isRepliable()) {
    const message = { content: SORRY, flags: MessageFlags.Ephemeral } as const;
    if (interaction.deferred || interaction.replied) await interaction.followUp(message);
    else await interaction.reply(message);
  }
}

/** While the process is stopping: a short answer, so that nothing new starts and nobody waits for nothing. */
export async function refuseInteraction(interaction: Interaction, log: Logger): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await interaction.respond([]);
    else if (interaction.isRepliable()) await interaction.reply({ content: RESTARTING, flags: MessageFlags.Ephemeral });
  } catch (err) {
    log.debug(`discord: could not say "restarting" to interaction ${interaction.id}`, err);
  }
}

export async function handleInteraction(interaction: Interaction, ctx: InteractionContext): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await autocomplete(interaction, ctx);
    else if (interaction.isChatInputCommand()) await command(interaction, ctx);
    else if (interaction.isButton()) await button(interaction, ctx);
  } catch (err) {
    ctx.log.error(`discord: could not answer interaction ${interaction.id} in ${discordAddress(interaction.guildId, interaction.channelId ?? '?')}`, err);
    await apologise(interaction).catch((e: unknown) => ctx.log.debug('discord: the apology failed too', e));
  }
}

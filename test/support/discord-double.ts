/**
 * # discord-double: a loopback Discord that the unmodified discord.js client logs in to
 *
 * One node:http server on 127.0.0.1 (random port) speaks REST under `/api/v10`, serves attachments
 * under `/attachments/…` and upgrades `/gateway` to the gateway WebSocket. Nothing in discord.js is
 * mocked; the bot only needs `rest.api` pointed here (our `DISCORD_API_URL`).
 *
 * ```ts
 * const double = await startDiscordDouble();
 * const client = new Client({ intents: [...], rest: { api: double.apiUrl } });
 * await client.login(double.token);           // resolves on READY; `clientReady` follows GUILD_CREATE
 * const msg = await double.postMessage({ author: double.members.member, content: 'see https://evil.example' });
 * const reply = await double.waitForCall('POST', `/channels/${double.channels.general}/messages`);
 * expect(reply.body).toMatchObject({ message_reference: { message_id: msg.id } });
 * await client.destroy(); await double.close();
 * ```
 *
 * ## Fixtures
 * - `double.token`, `double.applicationId` (= the bot user's id), `double.botUser`.
 * - `double.guild` (id, name, ownerId), `double.channels` { general, links, log } (text channels; `log`
 *   is named "vt-log"), `double.roles` { everyone, moderator (Manage Messages), admin (Manage Server),
 *   bot }, `double.members` { bot, member, moderator, admin, owner } — pass these as `author`/`member`.
 * - `double.guilds`: every guild, `double.guild` first; option `guilds: n` adds guilds (each with its own
 *   channels, roles and members; the bot's permissions are the same in all), and with option `shards: k`
 *   guild i's id lands on shard `i % k` (`double.shardOf(guildId, count)`).
 * - `double.origin` (http://127.0.0.1:port), `double.apiUrl` (`${origin}/api`), `double.gatewayUrl`,
 *   `double.cdnHost` (`127.0.0.1:port`, for ATTACHMENT_HOSTS).
 *
 * ## Things people do (each waits up to `waitForBotMs` for a connected bot, then dispatches)
 * - `postMessage({ author, channelId?, content?, attachments?: [{ filename, bytes, contentType?, host? }],
 *   embeds?, messageSnapshots?: [{ content?, attachments?, embeds? }], replyTo? })` → MESSAGE_CREATE;
 *   returns the stored APIMessage. Attachment URLs are `http://127.0.0.1:port/attachments/{channel}/{id}/{name}?ex=…&is=…&hm=…`;
 *   `host: 'cdn.evil.example'` puts another host in the URL (to prove a foreign host is not fetched).
 * - `editMessage({ messageId, content?, embeds?, attachments? })` → MESSAGE_UPDATE (full message);
 *   `deleteMessage(id)` → MESSAGE_DELETE.
 * - `runCommand({ member, name, subcommandGroup?, subcommand?, options?: { name: value }, attachments?: { option: file }, channelId? })`
 *   → INTERACTION_CREATE (chat input). If the bot registered the command, option types come from the
 *   registration and unknown options/subcommands throw; otherwise types are inferred from the values.
 * - `runContextMenu({ member, targetMessage, name? })` → message command with `resolved.messages`.
 * - `pressButton({ member, message, customId, componentType?, values? })` → MESSAGE_COMPONENT on a stored message.
 *   All three return `{ id, token, payload }`; `double.callsFor(handle)` lists the REST calls made for it.
 *
 * ## What the bot did
 * - `double.calls`: every REST call `{ seq, method, path (after /api/v10), query, body (JSON or multipart
 *   payload_json), files, headers (no authorization), status, response, faulted, at }`.
 * - `await double.waitFor(call => …, timeoutMs = 5000)` / `double.waitForCall(method, regexOrExactPath, timeoutMs)`:
 *   first matching call, past or future (compare `seq` with `double.calls.length` taken earlier to only see new ones).
 * - `double.messages(channelId, { includeDeleted? })`: current state, bot replies and interaction
 *   responses included (ephemeral ones carry flag 64); `double.message(id)` → `{ message, deleted, history }`.
 *   Bot reactions show in `message.reactions` (`me: true`).
 * - `double.registeredCommands` (global + guild), `globalCommands`, `guildCommands`.
 * - Sharding: IDENTIFY's `shard: [id, count]` is honoured (4010 when invalid): READY and GUILD_CREATE
 *   list that shard's guilds, and a guild's events go only to the session running
 *   `(guild_id >> 22) % count` (events without a guild_id go to every session). `GET /gateway/bot`
 *   reports option `shards` (default 1).
 * - `double.identifyPayload` (last IDENTIFY: intents, properties, shard), `double.gateway.identifies`,
 *   `.resumes`, `.closeCodes`, `.heartbeats`, `.connected`; `double.ready()` waits for a session.
 * - `double.cdnHits`: `{ path, host, method, status, bytesSent, aborted, at }` per CDN request.
 *
 * ## Faults and knobs
 * - `double.rateLimitNext({ method?, path, times?, retryAfter? (s, default 0.05), global?, scope? })`: 429 with
 *   `retry_after` body and `Retry-After`/`X-RateLimit-*` headers; discord.js waits and retries (two calls recorded).
 * - `double.failNext({ method?, path, times?, status? = 500, body?, headers? })`: any scripted answer
 *   (5xx are retried by discord.js up to 3 times; 4xx bodies should be `{ message, code }`).
 * - `double.denyBot(channelId, bits)`: takes permissions from the bot in one channel (as an overwrite would):
 *   REST calls needing them answer 403 50013, and interactions there carry the reduced `app_permissions`.
 * - Option `secondGuild: true`: the bot is in a second guild too, `double.otherGuild` (own channels,
 *   roles and members); pass its channel as `channelId` to post or run commands there.
 * - `double.gateway.disconnectAll(code?)` (4000 → discord.js RESUMEs, missed events replayed),
 *   `double.gateway.requestReconnect()` (op 7).
 * - Options: `{ token?, rejectPrivilegedIntents?, disallowedIntents?, heartbeatIntervalMs?, interactionAckTimeoutMs? (3000), interactionTokenTtlMs? (15 min, then 401 50027 on edits/follow-ups),
 *   restLatencyMs?, waitForBotMs?, everyonePermissions?, botRolePermissions? (bigint), cdn?: { chunkSize?, chunkDelayMs?,
 *   contentLength? }, shards?, guilds? }`; `double.cdnOptions` is live (e.g. set `chunkDelayMs` mid-test).
 *
 * ## Discord rules the double enforces (so the bot's mistakes show up in tests)
 * Bot token on REST (401; interaction/webhook routes need none); the bot's permissions on channel routes
 * (50013 Missing Permissions: send, reply needs Read History, files need Attach Files, deleting or
 * suppressing others' messages needs Manage Messages, reacting needs Add Reactions; without Embed Links
 * embeds are silently dropped); message limits (content 2000, 10 embeds,
 * title 256, description 4096, 25 fields, 6000 total, 5 rows; 50035 with Discord's `errors` tree, 50006 empty);
 * one callback per interaction (40060), 3 s to acknowledge (10062), no follow-up before the callback;
 * command names/descriptions (50035); the first follow-up after a defer fills the "thinking" message;
 * gateway intents: no message events without GuildMessages, blank content/embeds/attachments without
 * MessageContent (except the bot's own or mentioning messages), 4014 for disallowed intents.
 * The bot's own messages come back as MESSAGE_CREATE, as on Discord (non-ephemeral interaction
 * responses too). Only SuppressEmbeds/IsComponentsV2 change on edit. Op 8 (request members) is answered
 * with one GUILD_MEMBERS_CHUNK; GET /channels/{id}/messages pages with before/after/around/limit.
 *
 * ## discord.js behaviour worth knowing
 * - At login discord.js makes exactly one REST call, `GET /gateway/bot`; IDENTIFY carries intents,
 *   `shard: [0, 1]`, `large_threshold: 50`, `compress: false` (zlib-sync is not installed). `login()`
 *   resolves on READY; `Events.ClientReady` fires after GUILD_CREATE (use it, not the deprecated `ready`).
 *   Application, user, guild, channels and members all come from the gateway, not REST.
 * - `deferReply()`/`reply()` POST `…/callback?with_response=false` (204); `withResponse: true` gets the
 *   callback response with the message. `editReply` PATCHes `/webhooks/{app}/{token}/messages/@original`
 *   (recorded decoded, with `@`); `followUp` POSTs `/webhooks/{app}/{token}?wait=true`.
 * - Multipart bodies list attachments as `[{ id: '0' }]` in payload_json with the file in `files[0]`.
 * - 5xx is retried up to 3 times, 429 after `Retry-After`; both stay invisible to the caller.
 * - Destroy clients before `double.close()`, or discord.js keeps reconnecting (ECONNREFUSED).
 */
export { DiscordDouble, startDiscordDouble } from './discord-double/double.js';
export type { DiscordDoubleOptions } from './discord-double/double.js';
export type { EditMessageInput, FileSpec, PostMessageInput } from './discord-double/user-messages.js';
export type {
  ContextMenuInput, InteractionHandle, OptionValue, PressButtonInput, RunCommandInput,
} from './discord-double/user-interactions.js';
export type { GuildFixture, MemberFixture } from './discord-double/fixtures.js';
export { MODERATING_BOT_PERMISSIONS } from './discord-double/fixtures.js';
export type { Fault, RateLimitFault, RecordedCall } from './discord-double/rest.js';
export type { CdnHit, CdnOptions } from './discord-double/cdn.js';
export type { StoredMessage } from './discord-double/store.js';

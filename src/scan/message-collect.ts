/**
 * What in a message can be scanned: its text (content, link-embed URLs, forwarded snapshots) and its
 * attachments. Works on a structural shape so a discord.js Message, a partial one, or a test object
 * all fit; nothing here touches the network.
 */

export interface AttachmentLike {
  id: string;
  name: string;
  size: number;
  url: string;
}

interface Bag<T> {
  values(): Iterable<T>;
  readonly size: number;
}

/** The parts of a message (or a forwarded snapshot) the auto-scan reads. */
export interface MessageParts {
  content: string | null;
  attachments: Bag<AttachmentLike>;
  embeds: readonly { url: string | null }[];
}

export interface ScannableMessage extends MessageParts {
  messageSnapshots?: Bag<Partial<MessageParts>>;
}

export interface Collected {
  /** Separate texts, so a URL never runs across two sources. */
  texts: string[];
  attachments: AttachmentLike[];
}

/**
 * The cheap test every message of every server goes through before any store read: is there any
 * text, attachment, embed or forwarded message at all?
 */
export function mayHaveIndicators(message: ScannableMessage): boolean {
  return (
    (message.content ?? '') !== '' ||
    message.attachments.size > 0 ||
    message.embeds.length > 0 ||
    (message.messageSnapshots?.size ?? 0) > 0
  );
}

/** Gathers texts and attachments from the message and from every message it forwards. */
export function collect(message: ScannableMessage): Collected {
  const texts: string[] = [];
  const attachments: AttachmentLike[] = [];
  const take = (parts: Partial<MessageParts>): void => {
    if (parts.content) texts.push(parts.content);
    // Link previews carry the URL Discord resolved; it may differ from the typed text (redirects
    // shown as embeds, or links only present in an embed of a forwarded message).
    for (const embed of parts.embeds ?? []) if (embed.url) texts.push(embed.url);
    if (parts.attachments) attachments.push(...parts.attachments.values());
  };
  take(message);
  for (const snapshot of message.messageSnapshots?.values() ?? []) take(snapshot);
  return { texts, attachments: dedupeAttachments(attachments) };
}

function dedupeAttachments(list: AttachmentLike[]): AttachmentLike[] {
  const seen = new Set<string>();
  return list.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}

import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { Link } from 'react-router';
import type { AssistantCitation } from '@tradewire/contract';
import { linkCitations } from './citations';

/** Links inside the app open in place; any other goes to a new tab and learns nothing of this one. */
const components: Components = {
  a: ({ href, children }) =>
    href?.startsWith('/') ? (
      <Link to={href} className="text-info underline underline-offset-2" data-testid="assistant-citation">
        {children}
      </Link>
    ) : (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-info underline underline-offset-2">
        {children}
      </a>
    ),
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="text-xs">{children}</table>
    </div>
  ),
};

/**
 * An answer rendered as Markdown. Raw HTML in it is never rendered (react-markdown without
 * rehype-raw shows it as text) and unsafe link schemes are dropped by its URL filter: a model's
 * text is untrusted input.
 */
export const AssistantMarkdown = memo(function AssistantMarkdown({ content, citations }: { content: string; citations: readonly AssistantCitation[] }) {
  return (
    <div className="assistant-markdown grid gap-2 text-sm leading-relaxed break-words [&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_li]:ml-5 [&_ol]:list-decimal [&_td]:border [&_td]:border-border [&_td]:px-2 [&_th]:border [&_th]:border-border [&_th]:px-2 [&_ul]:list-disc">
      <Markdown remarkPlugins={[remarkGfm]} components={components}>
        {linkCitations(content, citations)}
      </Markdown>
    </div>
  );
});

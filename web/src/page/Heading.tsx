import { Fragment, type ReactNode } from 'react';

/**
 * The page heading, in pieces: text, or an element such as a name a test points at.
 * `word-break: keep-all` (styles.css) keeps Chinese from breaking between any two
 * characters; the `<wbr>` between the pieces are the only places it may.
 */
export function Heading({ parts }: { parts: readonly ReactNode[] }) {
  return (
    <h1 className="title">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </h1>
  );
}

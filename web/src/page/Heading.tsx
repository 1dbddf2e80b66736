import { Fragment } from 'react';

/**
 * The page heading. `word-break: keep-all` (styles.css) keeps Chinese from breaking
 * between any two characters; the `<wbr>` between the pieces are the only places it may.
 */
export function Heading({ parts }: { parts: readonly string[] }) {
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
